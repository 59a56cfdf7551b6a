package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.shardwire.config.ConfigLoader;
import io.shardwire.config.ServerConfig;
import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.proxy.ShardwireServer;
import io.shardwire.proxy.demo.DemoConfig;
import io.shardwire.proxy.demo.DemoSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A proxy configured with {@code queue.bridges.rabbitmq} starts the bridge itself: rows written through the proxy are
 * captured from both shard groups and reach a RabbitMQ queue bound to the exchange, and {@code /queue/status} shows
 * the bridge running with no lag. Needs RabbitMQ on 127.0.0.1:5672 (guest/guest), which {@code .ci/run} starts.
 */
class BridgesIT {

    private static final int ROWS = 40;

    @Test
    void aConfiguredRabbitMqBridgeForwardsChangesCapturedThroughTheProxy() throws Exception {
        Path dir = Path.of("target", "it-data", "bridges").toAbsolutePath();
        // The data directory, and so the queue, outlive a run: this run's rows carry its own marker.
        String run = Long.toString(System.nanoTime());
        String exchange = "shardwire.it." + run;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("mariadb"), 2, 0));
             Connection rabbit = factory.newConnection("shardwire-bridges-it");
             Channel channel = rabbit.createChannel()) {
            channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
            String customers = channel.queueDeclare().getQueue();
            channel.queueBind(customers, exchange, "shop.customers");
            String yaml = DemoConfig.yaml("127.0.0.1", ProxyFixture.freePort(), ProxyFixture.freePort(),
                    dir.resolve("proxy").toString(), ServerConfig.AuthPlugin.MYSQL_NATIVE_PASSWORD, cluster.groups(),
                    cluster.spec().user(), cluster.spec().password(), true)
                    + "queue:\n  bridges:\n    rabbitmq: {exchange: '" + exchange + "', group: it-" + run + "}\n";
            try (ShardwireServer proxy = ShardwireServer.start(ConfigLoader.parse(yaml, "bridges-it.yaml"))) {
                proxy.captures().orElseThrow().awaitStreaming(Duration.ofMinutes(2));
                Properties props = new Properties();
                props.setProperty("user", "admin");
                props.setProperty("password", "admin");
                props.setProperty("sslMode", "DISABLED");
                try (java.sql.Connection admin = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxy.port()
                        + "/", props)) {
                    DemoSchema.create(admin);
                    try (Statement s = admin.createStatement()) {
                        s.execute("USE shop");
                        s.execute("DELETE FROM customers WHERE id >= 100000");
                        for (int i = 0; i < ROWS; i++) {
                            long id = 100_000 + i;
                            s.execute("INSERT INTO customers (id, name, email, created_at) VALUES (" + id
                                    + ", 'bridge " + run + "', 'bridge" + id + "@example.com', '2026-01-01 00:00:00')");
                        }
                    }
                }
                Set<String> inserted = new HashSet<>();
                await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                    GetResponse message;
                    while ((message = channel.basicGet(customers, true)) != null) {
                        String body = new String(message.getBody(), StandardCharsets.UTF_8);
                        assertThat(message.getEnvelope().getRoutingKey()).isEqualTo("shop.customers");
                        assertThat(message.getProps().getMessageId()).hasSize(32);
                        if (body.contains("\"op\":\"c\"") && body.contains("bridge " + run)) {
                            inserted.add(message.getProps().getMessageId());
                        }
                    }
                    assertThat(inserted).hasSize(ROWS);
                });
                HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + proxy.httpPort() + "/queue/status")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(status.body()).contains("\"name\":\"rabbitmq\"", "\"state\":\"RUNNING\"",
                        "\"blockedOnQuota\":false");
            } finally {
                channel.exchangeDelete(exchange);
            }
        }
    }
}
