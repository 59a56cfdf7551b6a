package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwire.config.ServerConfig;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.proxy.demo.DemoConfig;
import io.shardwire.proxy.xa.Failpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Shardwire proxy in a child JVM ({@code shardwire start --config}) in front of a test's cluster,
 * to be killed with SIGKILL and started again on the same data dir and ports. Its output goes,
 * appended across restarts, to {@code proxy.log} in the data dir.
 */
final class ProxyProcess implements AutoCloseable {

    final int port;
    final int httpPort;
    final Path dataDir;
    private final Path configFile;
    private final Path log;
    private Process process;

    ProxyProcess(Path dataDir, EmbeddedCluster cluster, boolean cdc) throws IOException {
        this.dataDir = Files.createDirectories(dataDir);
        this.port = ProxyFixture.freePort();
        this.httpPort = ProxyFixture.freePort();
        this.configFile = dataDir.resolve("shardwire.yaml");
        this.log = dataDir.resolve("proxy.log");
        // One test class's log: a data dir is reused by the next run.
        Files.deleteIfExists(log);
        Files.writeString(configFile, ProxyFixture.withNativeBackendSwitch(DemoConfig.yaml("127.0.0.1", port, httpPort,
                dataDir.resolve("data").toString(), ServerConfig.AuthPlugin.MYSQL_NATIVE_PASSWORD, cluster.groups(),
                cluster.spec().user(), cluster.spec().password(), cdc)));
    }

    /** Starts the proxy (with a failpoint armed, if not null) and waits until {@code /health} says ready. */
    void start(Failpoint failpoint) throws IOException {
        start(failpoint, List.of());
    }

    /**
     * As {@link #start(Failpoint)}, with {@code jvmOptions} after the defaults ({@code -Xmx256m}, serial GC), so
     * that a later {@code -Xmx} wins.
     */
    void start(Failpoint failpoint, List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                // The launcher turns Netty's leak detector off; a test wants its reports.
                "-Dio.netty.leakDetection.level=simple"));
        command.addAll(jvmOptions);
        if (failpoint != null) {
            command.add("-D" + Failpoint.PROPERTY + "=" + failpoint.name());
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "io.shardwire.proxy.launcher.ShardwireCommand", "start", "--config", configFile.toString()));
        Files.writeString(log, "=== start " + (failpoint == null ? "" : failpoint) + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build();
        Process started = process;
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(started.isAlive()).as("proxy process alive; log: %s", log).isTrue();
            try {
                return http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("killed proxy exits").isTrue();
    }

    /** Waits for the process to end by itself (a failpoint halts it), returning its exit status. */
    int awaitExit() throws InterruptedException {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("proxy exits; log: %s", log).isTrue();
        return process.exitValue();
    }

    /** The proxy's {@code GET /metrics} now. */
    Metrics metrics() throws IOException, InterruptedException {
        return Metrics.read(httpPort);
    }

    /** The proxy's log so far. */
    String log() throws IOException {
        return Files.readString(log);
    }

    /** A JDBC connection as {@code app} to {@code shop}. */
    Connection app() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/shop?sslMode=DISABLED&connectTimeout=10000",
                "app", "app");
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
