package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwire.cdc.CaptureHealth;
import io.shardwire.cdc.CaptureState;
import io.shardwire.config.ConfigLoader;
import io.shardwire.config.ServerConfig;
import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.proxy.ShardwireServer;
import io.shardwire.proxy.demo.DemoConfig;
import io.shardwire.proxy.demo.DemoSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DDL through the proxy while a change capture still takes its first snapshot (the MySQL port is open by then): it
 * is held until every capture streams, so the capture never meets a table whose schema it missed, and the changes of
 * the new tables are captured.
 */
class SnapshotDdlHoldIT {

    /** Rows for g0's first snapshot to read; the engines take seconds to start even without any. */
    private static final int SNAPSHOT_ROWS = 5_000;

    /** @param prepared whether the first DDL comes as a server-side prepared statement (COM_STMT_EXECUTE) */
    @ParameterizedTest(name = "prepared DDL: {0}")
    @ValueSource(booleans = {false, true})
    void ddlDuringTheFirstSnapshotWaitsUntilEveryCaptureStreamsAndItsTablesAreCaptured(boolean prepared)
            throws Exception {
        Path dir = Path.of("target", "it-data", "ddl-hold-" + prepared).toAbsolutePath();
        try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("mariadb"), 2, 0))) {
            ProxyFixture.dropSchemaDatabases(cluster);
            ProxyFixture.deleteRecursively(dir.resolve("proxy"));
            try (Connection g0 = cluster.group("g0").primary().connect(); Statement s = g0.createStatement()) {
                s.execute("CREATE DATABASE shop");
                s.execute("CREATE TABLE shop.bulk (id INT PRIMARY KEY, pad VARCHAR(100))");
                s.execute("USE shop"); // the sequence engine's seq_ tables need a current database
                s.execute("INSERT INTO shop.bulk SELECT seq, REPEAT('x', 100) FROM seq_1_to_" + SNAPSHOT_ROWS);
            }
            String yaml = DemoConfig.yaml("127.0.0.1", ProxyFixture.freePort(), ProxyFixture.freePort(),
                    dir.resolve("proxy").toString(), ServerConfig.AuthPlugin.MYSQL_NATIVE_PASSWORD, cluster.groups(),
                    cluster.spec().user(), cluster.spec().password(), true);
            try (ShardwireServer proxy = ShardwireServer.open(ConfigLoader.parse(yaml, "ddl-hold.yaml"))) {
                List<CaptureHealth> atStart = proxy.captures().orElseThrow().health();
                assertThat(atStart).as("g0 still takes its snapshot when the DDL is sent").anySatisfy(health ->
                        assertThat(health.state()).isNotEqualTo(CaptureState.STREAMING));
                try (Connection admin = connect(proxy, "admin", "admin", "")) {
                    if (prepared) {
                        try (PreparedStatement ddl = admin.prepareStatement("CREATE DATABASE IF NOT EXISTS shop")) {
                            ddl.execute();
                        }
                        assertThat(proxy.captures().orElseThrow().health()).as("when the prepared DDL returned")
                                .allSatisfy(health -> assertThat(health.state()).isEqualTo(CaptureState.STREAMING));
                    }
                    DemoSchema.create(admin);
                }
                assertThat(proxy.captures().orElseThrow().health()).as("when the DDL returned")
                        .allSatisfy(health -> assertThat(health.state()).isEqualTo(CaptureState.STREAMING));
                try (Connection app = connect(proxy, "app", "app", "shop"); Statement s = app.createStatement()) {
                    for (long id = 1; id <= 8; id++) {
                        s.execute("INSERT INTO customers (id, name, email, created_at) VALUES (" + id + ", 'h', 'h" + id
                                + "@example.com', '2026-11-26 10:00:00')");
                    }
                }
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                        ChangeTopic.read(proxy.queue()).stream().filter(each -> each.event().table().equals("customers"))
                                .count() == 8);
                assertThat(proxy.captures().orElseThrow().health()).allSatisfy(health -> {
                    assertThat(health.state()).isEqualTo(CaptureState.STREAMING);
                    assertThat(health.failure()).isEmpty();
                });
                assertThat(ChangeTopic.read(proxy.queue()).stream().filter(each -> each.event().table().equals("bulk"))
                        .count()).as("the snapshot's reads").isEqualTo(SNAPSHOT_ROWS);
            }
        }
    }

    private static Connection connect(ShardwireServer proxy, String user, String password, String schema)
            throws Exception {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("sslMode", "DISABLED");
        props.setProperty("useServerPrepStmts", "true");
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxy.port() + "/" + schema, props);
    }
}
