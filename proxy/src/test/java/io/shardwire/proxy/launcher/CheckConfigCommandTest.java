package io.shardwire.proxy.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckConfigCommandTest {

    private static final String VALID = """
            server:
              users: [{name: app, password: app, schemas: [shop]}]
            shardGroups:
              - {name: g0, primary: {port: 3310, user: u}}
            schemas:
              - name: shop
                defaultShardGroup: g0
                tables:
                  orders: {shardGroup: %s}
            """;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = new CommandLine(new ShardwireCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    @Test
    void aValidFilePasses(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("shardwire.yaml"), VALID.formatted("g0"));
        assertThat(run("check-config", file.toString())).isZero();
        assertThat(out.toString()).isEqualTo(file + ": OK (1 shard groups, 1 schemas, 1 users)\n");
    }

    @Test
    void aBrokenFileExitsNonZeroNamingTheKeyPath(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("shardwire.yaml"), VALID.formatted("g9"));
        assertThat(run("check-config", file.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo(file + ": schemas[0].tables.orders.shardGroup: unknown shard group 'g9'\n");
    }

    @Test
    void theProductionExamplePasses() {
        Path file = Path.of("..", "config", "examples", "production.yaml");
        assertThat(run("check-config", file.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo(file + ": OK (2 shard groups, 1 schemas, 3 users)\n");
    }

    @Test
    void aMissingFileExitsNonZero(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");
        assertThat(run("check-config", file.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith(file + ": ");
    }
}
