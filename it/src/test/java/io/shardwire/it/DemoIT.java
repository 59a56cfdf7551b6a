package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwire.proxy.demo.DemoSchema;
import java.io.IOException;
import java.net.ServerSocket;
import io.shardwire.mq.client.Payload;
import io.shardwire.mq.client.QueueClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code shardwire demo} as a user runs it, in its own JVM: ready (health 200), the sample data
 * answers through the {@code mariadb} CLI, cross-shard aggregates, ORDER BY/LIMIT/OFFSET and
 * GROUP BY/HAVING equal the same queries on one plain database, a wrong password gets 1045, and
 * SIGTERM stops every MariaDB server it started.
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

            // Every committed change is captured into the queue, under logical names.
            MariaDbCli.Result insert = MariaDbCli.run(port, "app", "app", "shop", "DELETE FROM customers WHERE id = 4242;"
                    + " INSERT INTO customers"
                    + " (id, name, email, created_at) VALUES (4242, 'Ada', 'ada4242@example.com', '2026-11-26 10:00:00')");
            assertThat(insert.stderr()).isEmpty();
            QueueClient queue = new QueueClient(URI.create("http://127.0.0.1:" + httpPort));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(changesOf(queue)).anyMatch(change -> change.contains("\"op\":\"c\"")
                            && change.contains("\"table\":\"customers\"") && change.contains("\"id\":4242")));

            // The demo's orders are spread over 4 data nodes on 2 groups; copied into one plain
            // database, the cross-shard queries must answer the same.
            copyOrdersToOneDatabase(port, shardPort);
            for (String query : List.of(
                    "SELECT COUNT(*), SUM(amount), AVG(amount) FROM orders",
                    "SELECT id, customer_id, amount FROM orders ORDER BY amount DESC, id LIMIT 10 OFFSET 5",
                    "SELECT customer_id, COUNT(*) AS n, SUM(amount) FROM orders GROUP BY customer_id"
                            + " HAVING SUM(amount) > 1000 ORDER BY customer_id")) {
                MariaDbCli.Result viaProxy = MariaDbCli.run(port, "app", "app", "shop", query);
                MariaDbCli.Result single = MariaDbCli.run(shardPort, "shardwire", "shardwire", "single", query);
                assertThat(viaProxy.stderr()).as(query).isEmpty();
                assertThat(viaProxy.stdout()).as(query).isNotBlank().isEqualTo(single.stdout());
            }
        } finally {
            demo.destroy();
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("demo stops on SIGTERM").isTrue();
        }
        assertThat(mariadbdProcessesUnder(dataDir)).as("mariadbd left running").isEmpty();
        assertThat(Files.readString(log)).contains("Shardwire demo ready");
    }

    /** Every change event in the queue, as JSON text. */
    private static List<String> changesOf(QueueClient queue) throws Exception {
        List<String> changes = new java.util.ArrayList<>();
        for (var partition : queue.topics().stream().filter(t -> t.name().equals("shardwire.changes"))
                .flatMap(t -> t.partitions().stream()).toList()) {
            long offset = partition.earliestOffset();
            while (offset < partition.latestOffset()) {
                var batch = queue.fetch("shardwire.changes", partition.partition(), offset);
                batch.records().forEach(record -> changes.add(record.value() instanceof Payload.Json json ? json.json() : String.valueOf(record.value())));
                offset = batch.nextOffset();
            }
        }
        return changes;
    }

    /** All of the demo's orders, read through the proxy, into database {@code single} on the first shard. */
    private static void copyOrdersToOneDatabase(int proxyPort, int shardPort) throws Exception {
        try (Connection proxy = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxyPort + "/shop?sslMode=DISABLED",
                "app", "app");
             Connection shard = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + shardPort + "/?sslMode=DISABLED",
                     "shardwire", "shardwire");
             Statement target = shard.createStatement()) {
            target.execute("DROP DATABASE IF EXISTS single");
            target.execute("CREATE DATABASE single");
            target.execute("CREATE TABLE single.orders LIKE shop_0.orders_0");
            try (Statement source = proxy.createStatement();
                 ResultSet rows = source.executeQuery("SELECT id, customer_id, product_id, quantity, amount, created_at FROM orders");
                 PreparedStatement insert = shard.prepareStatement("INSERT INTO single.orders VALUES (?, ?, ?, ?, ?, ?)")) {
                while (rows.next()) {
                    for (int i = 1; i <= 6; i++) {
                        insert.setObject(i, rows.getObject(i));
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
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
