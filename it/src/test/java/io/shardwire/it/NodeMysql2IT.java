package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.proxy.demo.DemoSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * node mysql2 (the version pinned in {@code src/test/node/package-lock.json}, installed with {@code npm ci}): every
 * column type, NULLs and extremes inserted with a prepared {@code execute}, read back equal with {@code query}, and
 * with {@code execute} as mysql2 reads them from the same MariaDB directly.
 * The assertions are in {@code mysql2-roundtrip.js}; this class runs it and checks that it passed.
 */
class NodeMysql2IT {

    private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"), 300);
        fixture = ProxyFixture.start("node", 1);
        try (Connection admin = fixture.connect("admin", "admin", "")) {
            DemoSchema.create(admin);
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void everyTypeRoundTripsWithQueryAndExecute() throws Exception {
        String output = run(List.of("node", "mysql2-roundtrip.js", String.valueOf(fixture.proxy.port()),
                String.valueOf(fixture.cluster.group("g0").primary().port()), fixture.cluster.spec().user(),
                fixture.cluster.spec().password()), 120);
        assertThat(output).isEqualTo("ok 3\n");
    }

    /** Runs a command in the node directory; fails with its output unless it exits 0 in time. */
    private static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s exit code; output:%n%s", command, output).isZero();
        return output;
    }
}
