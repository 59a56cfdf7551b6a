package io.shardwire.router.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.router.ShopConfig;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TextPlanCacheTest {

    private final AtomicLong keys = new AtomicLong(1000);
    private final QueryPlanner planner = new QueryPlanner(ShopConfig.CONFIG, keys::incrementAndGet, MergeLimits.DEFAULT);
    private final AtomicInteger plannings = new AtomicInteger();
    private final TextPlanCache cache = new TextPlanCache((sql, schema) -> {
        plannings.incrementAndGet();
        return planner.plan(sql, schema);
    }, 1000);

    @Test
    void statementsOfOneShapeAreBoundToOnePlan() throws Exception {
        ExecutionPlan first = cache.plan("SELECT c FROM orders WHERE customer_id = 5", "shop");
        int learning = plannings.get();
        ExecutionPlan second = cache.plan("SELECT c FROM orders WHERE customer_id = 7", "shop");
        ExecutionPlan third = cache.plan("SELECT c FROM orders WHERE customer_id = 5", "shop");

        assertThat(learning).isEqualTo(2); // the statement itself, then its shape
        assertThat(plannings.get()).isEqualTo(learning);
        assertThat(second.statements()).singleElement().isEqualTo(new NodeStatement(
                new io.shardwire.router.rule.DataNode("shop_3", "g1"),
                "SELECT c FROM `shop_3`.`orders_3` WHERE customer_id = 7", List.of()));
        assertThat(second.sql()).isEqualTo("SELECT c FROM orders WHERE customer_id = 7");
        assertThat(third.statements()).isEqualTo(first.statements());
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aKeptPlanIsOfferedWithoutPlanningOnlyOnceItsShapeWasLearned() throws Exception {
        assertThat(cache.kept("SELECT c FROM orders WHERE customer_id = 5", "shop")).isEmpty();
        assertThat(plannings.get()).isZero();

        ExecutionPlan learned = cache.plan("SELECT c FROM orders WHERE customer_id = 5", "shop");
        int learning = plannings.get();
        assertThat(cache.kept("SELECT c FROM orders WHERE customer_id = 5", "shop")).hasValueSatisfying(
                kept -> assertThat(kept.statements()).isEqualTo(learned.statements()));
        assertThat(cache.kept("SELECT c FROM orders WHERE customer_id = 7", "shop")).hasValueSatisfying(
                kept -> assertThat(kept.statements()).extracting(NodeStatement::sql)
                        .containsExactly("SELECT c FROM `shop_3`.`orders_3` WHERE customer_id = 7"));
        assertThat(cache.kept("SELECT c FROM orders WHERE customer_id = 7", "crm")).as("another schema").isEmpty();

        cache.plan("SELECT customer_id, COUNT(*) FROM orders WHERE id > 5 GROUP BY customer_id", "shop");
        assertThat(cache.kept("SELECT customer_id, COUNT(*) FROM orders WHERE id > 6 GROUP BY customer_id", "shop"))
                .as("a shape found unfit").isEmpty();
        assertThat(plannings.get()).isEqualTo(learning + 1);
    }

    @Test
    void aShapeWithAMergeOperatorIsPlannedAfreshEachTimeAfterOneLookAtIt() throws Exception {
        cache.plan("SELECT customer_id, COUNT(*) FROM orders WHERE id > 5 GROUP BY customer_id", "shop");
        int learning = plannings.get();
        cache.plan("SELECT customer_id, COUNT(*) FROM orders WHERE id > 6 GROUP BY customer_id", "shop");
        cache.plan("SELECT customer_id, COUNT(*) FROM orders WHERE id > 7 GROUP BY customer_id", "shop");

        assertThat(learning).isEqualTo(1);
        assertThat(plannings.get()).isEqualTo(3);
    }

    @Test
    void insertsThatGenerateKeysAreNeverBoundToAKeptPlan() throws Exception {
        ExecutionPlan first = cache.plan("INSERT INTO orders (customer_id) VALUES (1)", "shop");
        ExecutionPlan second = cache.plan("INSERT INTO orders (customer_id) VALUES (1)", "shop");

        assertThat(first.generatedKeys()).containsExactly(1001L);
        assertThat(second.generatedKeys()).containsExactly(1002L);
        assertThat(plannings.get()).isEqualTo(2);
    }

    @Test
    void aStatementLongerThanTheBoundIsPlannedEachTimeAndNotKept() throws Exception {
        String padded = "SELECT c FROM orders WHERE customer_id = 5 AND note <> '"
                + "x".repeat(TextPlanCache.MAX_TEXT) + "'";
        cache.plan(padded, "shop");
        cache.plan(padded, "shop");

        assertThat(plannings.get()).isEqualTo(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void theLeastRecentlyUsedShapeLeavesFirst() throws Exception {
        TextPlanCache small = new TextPlanCache((sql, schema) -> {
            plannings.incrementAndGet();
            return planner.plan(sql, schema);
        }, 2);
        small.plan("SELECT a FROM orders WHERE customer_id = 1", "shop");
        small.plan("SELECT b FROM orders WHERE customer_id = 1", "shop");
        small.plan("SELECT a FROM orders WHERE customer_id = 2", "shop");
        small.plan("SELECT c FROM orders WHERE customer_id = 1", "shop");
        int before = plannings.get();

        small.plan("SELECT a FROM orders WHERE customer_id = 3", "shop");
        assertThat(plannings.get()).isEqualTo(before);
        small.plan("SELECT b FROM orders WHERE customer_id = 3", "shop");
        assertThat(plannings.get()).isEqualTo(before + 2);
        assertThat(small.size()).isEqualTo(2);
    }

    /**
     * Every text statement of the golden plan cases, and the same with other values in place of the integers and
     * strings its shape takes out, planned through the cache as planning it afresh plans it: the same kind, node statements
     * (byte for byte), generated keys and write-freedom, or the same refusal.
     */
    @Test
    void everyGoldenStatementWithOtherValuesPlansAsPlanningItAfresh() throws Exception {
        List<String[]> statements = goldenTextStatements();
        assertThat(statements).hasSizeGreaterThan(100);
        int shaped = 0;
        int fromKeptPlans = 0;
        for (String[] statement : statements) {
            String sql = statement[0];
            String schema = statement[1];
            QueryShape shape = QueryShape.of(sql).orElse(null);
            List<String> variants = new ArrayList<>(List.of(sql));
            if (shape != null && !shape.values().isEmpty()) {
                shaped++;
                String[] strings = {"", "x", "it's", "42", "Zürich", "%", "2026-11-28"};
                long[][] changes = {{1, 1}, {3, 2}, {1, 0}, {7, 100}, {0, 250}, {0, 0}};
                for (int c = 0; c < changes.length; c++) {
                    long[] change = changes[c];
                    String string = strings[c % strings.length];
                    variants.add(Placeholders.inline(shape.text(), shape.values().stream()
                            .map(v -> v instanceof Long n ? (Object) (n * change[0] + change[1]) : v + string).toList()));
                }
                variants.add(sql);
            }
            for (String variant : variants) {
                int before = plannings.get();
                assertSamePlan(variant, schema);
                if (plannings.get() == before) {
                    fromKeptPlans++;
                }
            }
        }
        assertThat(shaped).isGreaterThan(30);
        assertThat(fromKeptPlans).isGreaterThan(100);
    }

    private void assertSamePlan(String sql, String schema) {
        ExecutionPlan expected;
        try {
            expected = planner.plan(sql, schema).bind();
        } catch (Exception e) {
            assertThatThrownBy(() -> cache.plan(sql, schema)).as(sql).isInstanceOf(e.getClass());
            return;
        }
        ExecutionPlan actual;
        try {
            actual = cache.plan(sql, schema);
        } catch (Exception e) {
            throw new AssertionError(sql + ": " + e, e);
        }
        assertThat(actual.sql()).as(sql).isEqualTo(expected.sql());
        assertThat(actual.kind()).as(sql).isEqualTo(expected.kind());
        if (expected.generatedKeys().isEmpty()) {
            assertThat(actual.statements()).as(sql).isEqualTo(expected.statements());
        } else {
            // Planned afresh (as each such plan is), with keys of their own.
            assertThat(actual.statements()).as(sql).hasSameSizeAs(expected.statements());
        }
        assertThat(actual.parameters()).as(sql).isEqualTo(expected.parameters());
        assertThat(actual.writesNothing()).as(sql).isEqualTo(expected.writesNothing());
        assertThat(actual.generatedKeys()).as(sql).hasSameSizeAs(expected.generatedKeys());
        if (!(expected.root() instanceof NodeRoute)) {
            assertThat(actual.root().describe().render()).as(sql).isEqualTo(expected.root().describe().render());
        }
    }

    /** The golden cases' statements without parameters, each with its schema. */
    private static List<String[]> goldenTextStatements() throws IOException, URISyntaxException {
        Path dir = Path.of(TextPlanCacheTest.class.getResource("/plans").toURI());
        List<String[]> statements = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                for (String block : Files.readString(file).split("\n\\s*\n")) {
                    String sql = null;
                    String schema = "shop";
                    boolean parameters = false;
                    for (String line : block.split("\n")) {
                        if (line.startsWith("sql: ")) {
                            sql = line.substring(5);
                        } else if (line.startsWith("schema: ")) {
                            schema = line.substring(8).trim();
                            schema = schema.equals("none") ? null : schema;
                        } else if (line.startsWith("params:")) {
                            parameters = true;
                        }
                    }
                    if (sql != null && !parameters) {
                        statements.add(new String[] {sql, schema});
                    }
                }
            }
        }
        return statements;
    }
}
