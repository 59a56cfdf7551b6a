package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwire.proxy.demo.DemoSchema;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code shardwire demo} as a user runs it, in its own JVM: ready (health 200), the sample data
 * answers through the {@code mariadb} CLI, a wrong password gets 1045, and SIGTERM stops every
 * MariaDB server it started.
 */
class DemoIT {

    @Test
    void demoStartsServesAndStopsCleanly() throws Exception {
        Path dataDir = Path.of("target", "it-data", "demo").toAbsolutePath();
        int port = ProxyFixture.freePort();
        int httpPort = ProxyFixture.freePort();
        int shardPort = freePortRange(4);
        Path log = Files.createDirectories(dataDir.getParent()).resolve("demo.log");
        Process demo = new ProcessBuilder(javaBinary(), "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"),
                "io.shardwire.proxy.launcher.ShardwireCommand", "demo", "--data-dir", dataDir.toString(),
                "--port", String.valueOf(port), "--http-port", String.valueOf(httpPort),
                "--shard-port", String.valueOf(shardPort))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertThat(demo.isAlive()).as("demo process alive; log: %s", log).isTrue();
                try {
                    return http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                }
            });

            MariaDbCli.Result count = MariaDbCli.run(port, "app", "app", "shop", "SELECT COUNT(*) FROM orders");
            assertThat(count.stderr()).isEmpty();
            assertThat(count.stdout()).isEqualTo(DemoSchema.ORDERS + "\n");

            MariaDbCli.Result denied = MariaDbCli.run(port, "app", "wrong", "shop", "SELECT 1");
            assertThat(denied.exitCode()).isNotZero();
            assertThat(denied.stderr()).contains("ERROR 1045 (28000)");
        } finally {
            demo.destroy();
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("demo stops on SIGTERM").isTrue();
        }
        assertThat(mariadbdProcessesUnder(dataDir)).as("mariadbd left running").isEmpty();
        assertThat(Files.readString(log)).contains("Shardwire demo ready");
    }

    private static List<ProcessHandle> mariadbdProcessesUnder(Path dataDir) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("mariadbd") && c.contains(dataDir.toString()))
                        .orElse(false))
                .toList();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The first of {@code count} consecutive free loopback ports. */
    private static int freePortRange(int count) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ProxyFixture.freePort();
            if (base + count > 65535) {
                continue;
            }
            boolean allFree = true;
            for (int p = base; p < base + count && allFree; p++) {
                try (ServerSocket ignored = new ServerSocket(p)) {
                    allFree = true;
                } catch (IOException taken) {
                    allFree = false;
                }
            }
            if (allFree) {
                return base;
            }
        }
        throw new IOException("no " + count + " consecutive free ports found");
    }
}
