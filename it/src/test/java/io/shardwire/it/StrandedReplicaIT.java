package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.shardwire.config.ConfigLoader;
import io.shardwire.config.ServerConfig;
import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.embedded.EmbeddedServer;
import io.shardwire.proxy.ShardwireServer;
import io.shardwire.proxy.demo.DemoConfig;
import io.shardwire.proxy.health.DataSourceRole;
import io.shardwire.proxy.health.HealthState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A replica that is DOWN while its group fails over is stranded (out of the read rotation, recorded in the topology
 * file); when it answers again the proxy re-points it to the new primary by GTID, and it takes reads again once it
 * applied what that primary had; one that holds a transaction the new primary lacks is left stranded and logged.
 * Real servers: g0 with two replicas, the second killed before the primary is.
 */
class StrandedReplicaIT {

    private final Queue<String> strandedLog = new ConcurrentLinkedQueue<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            strandedLog.add(event.getFormattedMessage());
        }
    };
    private Path dir;
    private EmbeddedCluster cluster;
    private ShardwireServer proxy;
    private EmbeddedServer primary;
    private EmbeddedServer promoted;
    private EmbeddedServer returning;

    @BeforeEach
    void start() throws Exception {
        appender.start();
        strandedLogger().addAppender(appender);
        dir = Path.of("target", "it-data", "stranded").toAbsolutePath();
        ProxyFixture.deleteRecursively(dir);
        cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("mariadb"), 1, 2));
        ProxyFixture.dropSchemaDatabases(cluster);
        primary = cluster.group("g0").primary();
        promoted = cluster.group("g0").replicas().get(0);
        returning = cluster.group("g0").replicas().get(1);
        try (Connection c = primary.connect()) {
            c.createStatement().execute("CREATE DATABASE IF NOT EXISTS shop");
        }
        String yaml = DemoConfig.yaml("127.0.0.1", ProxyFixture.freePort(), ProxyFixture.freePort(),
                dir.resolve("proxy").toString(), ServerConfig.AuthPlugin.MYSQL_NATIVE_PASSWORD, cluster.groups(),
                cluster.spec().user(), cluster.spec().password(), false)
                .replace("  - name: g0\n", "  - name: g0\n    failover: auto\n    failoverAfterMs: 1500\n"
                        + "    failFastMs: 10000\n    topologyAccount: {user: " + cluster.spec().topologyUser()
                        + ", password: " + cluster.spec().password() + "}\n    replicationAccount: {user: "
                        + cluster.replicationUser() + ", password: '" + cluster.replicationPassword() + "'}\n")
                + "monitoring: {heartbeatIntervalMs: 500, heartbeatTimeoutMs: 500}\n";
        proxy = ShardwireServer.start(ConfigLoader.parse(yaml, "stranded.yaml"));
        try (Connection c = app(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id BIGINT PRIMARY KEY, note VARCHAR(40) NOT NULL)");
            s.executeUpdate("INSERT INTO notes VALUES (1, 'before the failover')");
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> has(promoted, 1) && has(returning, 1));
    }

    @AfterEach
    void stop() {
        strandedLogger().detachAppender(appender);
        if (proxy != null) {
            proxy.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aReplicaDownDuringTheFailoverFollowsTheNewPrimaryWhenItReturns() throws Exception {
        failOverWithTheSecondReplicaDown();
        assertThat(Files.readString(dir.resolve("proxy").resolve("topology.properties")))
                .contains("g0.stranded=" + returning.host() + ":" + returning.port());

        returning.start();
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() ->
                followedPort(returning) == promoted.port() && has(returning, 2));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                proxy.health().sourceHealth("g0", 2).role() == DataSourceRole.REPLICA);
        assertThat(Files.readString(dir.resolve("proxy").resolve("topology.properties"))).doesNotContain("stranded");
    }

    @Test
    void aReturningReplicaWithATransactionTheNewPrimaryLacksStaysStranded() throws Exception {
        // A write made on the replica itself: a transaction no other server has.
        try (Connection c = returning.connectForTopology(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO shop.notes VALUES (99, 'only on this replica')");
        }
        failOverWithTheSecondReplicaDown();

        returning.start();
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> strandedLog.stream().anyMatch(line ->
                line.contains("stranded replica " + returning.host() + ":" + returning.port() + " has diverged")));
        assertThat(followedPort(returning)).as("not re-pointed").isEqualTo(primary.port());
        assertThat(has(returning, 2)).isFalse();
        assertThat(proxy.health().sourceHealth("g0", 2).role()).isEqualTo(DataSourceRole.STRANDED);
    }

    /** Kills the second replica, then the primary; returns once a write through the proxy ran on the first replica. */
    private void failOverWithTheSecondReplicaDown() throws Exception {
        returning.kill();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                proxy.health().sourceHealth("g0", 2).state() == HealthState.DOWN);
        primary.kill();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try (Connection c = app(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO notes VALUES (2, 'after the failover')");
                return true;
            } catch (SQLException e) {
                return false;
            }
        });
        assertThat(has(promoted, 2)).isTrue();
        assertThat(proxy.health().primaryHealth("g0").index()).isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                proxy.health().sourceHealth("g0", 2).role() == DataSourceRole.STRANDED);
    }

    private static Logger strandedLogger() {
        return (Logger) LoggerFactory.getLogger("io.shardwire.proxy.failover.StrandedReplicas");
    }

    private static boolean has(EmbeddedServer server, long id) throws SQLException {
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM shop.notes WHERE id = " + id)) {
            rows.next();
            return rows.getLong(1) == 1;
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146) {
                return false; // the table has not replicated yet
            }
            throw e;
        }
    }

    private static int followedPort(EmbeddedServer replica) throws SQLException {
        try (Connection c = replica.connect(); Statement s = c.createStatement();
             ResultSet status = s.executeQuery("SHOW SLAVE STATUS")) {
            return status.next() ? status.getInt("Master_Port") : -1;
        }
    }

    private Connection app() throws SQLException {
        return ProxyFixture.connect(proxy.port(), "app", "app", "shop");
    }
}
