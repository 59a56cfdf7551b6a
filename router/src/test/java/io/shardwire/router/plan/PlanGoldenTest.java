package io.shardwire.router.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.router.ShopConfig;
import io.shardwire.router.keygen.KeyGenerator;
import io.shardwire.router.route.RouteException;
import io.shardwire.router.route.StatementRefusedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden plan tests: every file under {@code src/test/resources/plans} holds cases of one feature,
 * each a statement (with optional parameters) and the plan it must produce, per-node SQL included,
 * or the refusal it must get. Planned against {@code shop.yaml}, with generated keys counting from 1001.
 *
 * <p>Case format, cases separated by blank lines:
 * <pre>
 * -- what the case shows
 * sql: SELECT ...
 * params: 5, 'x', NULL, 2.5, date 2024-01-05      (optional)
 * schema: crm                                      (optional, default shop)
 * Route / BY_SHARD_KEY (...)                       (the rendered plan), or
 * refused CROSS_NODE_JOIN: message                 (a StatementRefusedException), or
 * error UNKNOWN_SCHEMA: message                    (a RouteException)
 * </pre>
 * Run with {@code -Dgolden.update=true} to rewrite the expected parts from the actual output (then review the diff).
 */
class PlanGoldenTest {

    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @TestFactory
    Stream<DynamicNode> plans() throws IOException, URISyntaxException {
        Path dir = Path.of(PlanGoldenTest.class.getResource("/plans").toURI());
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        return files.stream().map(file -> DynamicContainer.dynamicContainer(file.getFileName().toString(), cases(file)));
    }

    private Stream<DynamicNode> cases(Path file) {
        List<Case> cases = Case.read(file);
        if (UPDATE) {
            List<String> blocks = new ArrayList<>();
            for (Case c : cases) {
                blocks.add(c.header() + actual(c));
            }
            write(file, String.join("\n\n", blocks) + "\n");
        }
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.title(), () -> assertThat(actual(c)).isEqualTo(c.expected())));
    }

    private static String actual(Case c) {
        AtomicLong next = new AtomicLong(1000);
        KeyGenerator keys = next::incrementAndGet;
        QueryPlanner planner = new QueryPlanner(ShopConfig.CONFIG, keys, new MergeLimits(1000, 1 << 20));
        try {
            return planner.plan(c.sql(), c.schema()).bind(c.params()).describe().stripTrailing();
        } catch (StatementRefusedException e) {
            return "refused " + e.construct() + ": " + e.getMessage();
        } catch (RouteException e) {
            return "error " + e.kind() + ": " + e.getMessage();
        }
    }

    private static void write(Path sourceCopy, String text) {
        // The test reads target/test-classes; the source file is what must change.
        Path source = Path.of("src/test/resources/plans").resolve(sourceCopy.getFileName());
        try {
            Files.writeString(source, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One case of a file. */
    private record Case(String title, String header, String sql, List<Object> params, String schema, String expected) {

        static List<Case> read(Path file) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<Case> cases = new ArrayList<>();
            for (String block : text.strip().split("\n\\s*\n")) {
                String title = "";
                StringBuilder header = new StringBuilder();
                StringBuilder sql = new StringBuilder();
                List<Object> params = List.of();
                String schema = "shop";
                StringBuilder expected = new StringBuilder();
                for (String line : block.split("\n")) {
                    if (expected.isEmpty() && line.startsWith("-- ")) {
                        title = line.substring(3);
                        header.append(line).append('\n');
                    } else if (expected.isEmpty() && line.startsWith("sql: ")) {
                        sql.append(line.substring(5));
                        header.append(line).append('\n');
                    } else if (expected.isEmpty() && line.startsWith("params: ")) {
                        params = params(line.substring(8));
                        header.append(line).append('\n');
                    } else if (expected.isEmpty() && line.startsWith("schema: ")) {
                        String value = line.substring(8).strip();
                        schema = value.equals("none") ? null : value;
                        header.append(line).append('\n');
                    } else {
                        expected.append(expected.isEmpty() ? "" : "\n").append(line);
                    }
                }
                cases.add(new Case(title.isEmpty() ? sql.toString() : title, header.toString(), sql.toString(), params,
                        schema, expected.toString().stripTrailing()));
            }
            return cases;
        }

        private static List<Object> params(String text) {
            List<Object> values = new ArrayList<>();
            for (String raw : text.split(",\\s*")) {
                String p = raw.strip();
                if (p.equals("NULL")) {
                    values.add(null);
                } else if (p.startsWith("'")) {
                    values.add(p.substring(1, p.length() - 1));
                } else if (p.startsWith("date ")) {
                    values.add(LocalDate.parse(p.substring(5)));
                } else if (p.contains(".")) {
                    values.add(new BigDecimal(p));
                } else {
                    values.add(Long.parseLong(p));
                }
            }
            return values;
        }
    }
}
