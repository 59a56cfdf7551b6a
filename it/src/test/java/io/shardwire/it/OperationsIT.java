package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.config.ConfigLoader;
import io.shardwire.config.ServerConfig;
import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.embedded.EmbeddedServer;
import io.shardwire.proxy.ShardwireServer;
import io.shardwire.proxy.demo.DemoConfig;
import io.shardwire.proxy.demo.DemoSchema;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operating the proxy: the admin statements through the real {@code mariadb} client, {@code /metrics}, and
 * {@code RELOAD SHARDWIRE CONFIG} of the file the proxy was started from, on a demo-like setup (2 shard groups with
 * a replica each, change capture on) started with {@code ConfigLoader.load(file)} as {@code shardwire start} does.
 */
class OperationsIT {

    private static EmbeddedCluster cluster;
    private static ShardwireServer proxy;
    private static Path configFile;
    private static String originalYaml;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Path.of("target", "it-data", "ops").toAbsolutePath();
        cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("mariadb"), 2, 1));
        try (Connection c = cluster.group("g0").primary().connect()) {
            c.createStatement().execute("CREATE DATABASE IF NOT EXISTS shop");
        }
        originalYaml = DemoConfig.yaml("127.0.0.1", ProxyFixture.freePort(), ProxyFixture.freePort(),
                dir.resolve("proxy").toString(), ServerConfig.AuthPlugin.MYSQL_NATIVE_PASSWORD, cluster.groups(),
                cluster.spec().user(), cluster.spec().password(), true)
                + "monitoring: {heartbeatIntervalMs: 300, heartbeatTimeoutMs: 300, slowQueryMs: 0}\n";
        configFile = dir.resolve("shardwire.yaml");
        Files.createDirectories(dir);
        Files.writeString(configFile, originalYaml);
        proxy = ShardwireServer.start(ConfigLoader.load(configFile));
        try (Connection admin = java.sql.DriverManager.getConnection(
                "jdbc:mysql://127.0.0.1:" + proxy.port() + "/?sslMode=DISABLED", "admin", "admin")) {
            DemoSchema.create(admin);
        }
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void restoreTheConfigFile() throws Exception {
        Files.writeString(configFile, originalYaml);
    }

    @Test
    void showGroupsListsEveryDataSourceWithRoleAndHealth() throws Exception {
        List<String> expected = new ArrayList<>();
        for (String group : List.of("g0", "g1")) {
            expected.add(group + "\tprimary\t" + address(cluster.group(group).primary()) + "\tUP");
            expected.add(group + "\treplica\t" + address(cluster.group(group).replicas().getFirst()) + "\tUP");
        }
        Awaitility.await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            MariaDbCli.Result result = mariadb("admin", "admin", "SHOW SHARDWIRE GROUPS");
            assertThat(result.stderr()).isEmpty();
            List<String> lines = result.stdout().lines().toList();
            assertThat(lines).hasSize(4);
            for (int i = 0; i < 4; i++) {
                assertThat(lines.get(i)).startsWith(expected.get(i));
            }
            // A replica: replicating, 0 s and 0 transactions behind, its GTID position; no pool of its own.
            assertThat(lines.get(1).split("\t")).satisfies(replica -> {
                assertThat(replica[6]).isEqualTo("Yes");
                assertThat(replica[7]).isEqualTo("0");
                assertThat(replica[8]).isEqualTo("0");
                assertThat(replica[10]).isEqualTo("NULL");
            });
        });
    }

    @Test
    void aReplicaThatStopsReplicatingIsShownSoAndComesBack() throws Exception {
        EmbeddedServer replica = cluster.group("g1").replicas().getFirst();
        try (Connection c = replica.connect(); Statement s = c.createStatement()) {
            s.execute("STOP SLAVE");
            Awaitility.await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                    assertThat(mariadb("admin", "admin", "SHOW SHARDWIRE GROUPS").stdout().lines()
                            .filter(line -> line.startsWith("g1\treplica")).findFirst().orElseThrow().split("\t")[6])
                            .isEqualTo("No"));
            s.execute("START SLAVE");
        }
        Awaitility.await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(mariadb("admin", "admin", "SHOW SHARDWIRE GROUPS").stdout().lines()
                        .filter(line -> line.startsWith("g1\treplica")).findFirst().orElseThrow().split("\t")[6])
                        .isEqualTo("Yes"));
    }

    @Test
    void nonAdminUsersGetError1227() throws Exception {
        for (String statement : List.of("SHOW SHARDWIRE GROUPS", "SHOW SHARDWIRE QUEUE", "RELOAD SHARDWIRE CONFIG")) {
            MariaDbCli.Result result = mariadb("app", "app", statement);
            assertThat(result.exitCode()).isNotZero();
            assertThat(result.stderr()).contains("ERROR 1227 (42000)")
                    .contains("Access denied; you need (at least one of) the SHARDWIRE ADMIN privilege(s)");
        }
    }

    @Test
    void anUnknownAdminStatementIsASyntaxErrorNamingTheKnownOnes() throws Exception {
        MariaDbCli.Result result = mariadb("admin", "admin", "SHOW SHARDWIRE GROUP");
        assertThat(result.stderr()).contains("ERROR 1064 (42000)").contains("unknown admin statement 'SHOW SHARDWIRE GROUP'")
                .contains("SHOW SHARDWIRE GROUPS | TABLES | SESSIONS | CDC | QUEUE, RELOAD SHARDWIRE CONFIG");
    }

    @Test
    void showTablesSessionsCdcAndQueue() throws Exception {
        assertThat(mariadb("admin", "admin", "SHOW SHARDWIRE TABLES").stdout()).contains(
                "shop\tcustomers\tsharded\thash(id) over 1024 buckets\tshop_0.customers_0@g0, shop_1.customers_1@g0,"
                        + " shop_2.customers_2@g1, shop_3.customers_3@g1\n",
                "shop\torders\tbinding\thash(customer_id) over 1024 buckets, bound to customers\t",
                "shop\tproducts\tbroadcast\tcopy on every data node\tshop_0.products@g0, ");
        try (Connection app = connect("app", "app")) {
            assertThat(mariadb("admin", "admin", "SHOW SHARDWIRE SESSIONS").stdout()).containsPattern(
                    "(?m)^\\d+\tapp\t127\\.0\\.0\\.1\tshop\t\\d{4}-");
        }
        Awaitility.await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            String cdc = mariadb("admin", "admin", "SHOW SHARDWIRE CDC").stdout();
            assertThat(cdc).startsWith("g0\tSTREAMING\t").contains("\ng1\tSTREAMING\t");
        });
        try (Connection app = connect("app", "app"); Statement s = app.createStatement()) {
            // The cluster's data directory is kept between runs: a new table each run.
            s.execute("DROP TABLE IF EXISTS ops_cdc");
            s.execute("CREATE TABLE ops_cdc (id INT PRIMARY KEY)");
            s.execute("INSERT INTO ops_cdc VALUES (1)");
        }
        Awaitility.await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(mariadb("admin", "admin", "SHOW SHARDWIRE CDC").stdout().lines().findFirst().orElseThrow()
                        .split("\t")).satisfies(g0 -> {
                            assertThat(g0[2]).matches("\\d+-\\d+-\\d+");
                            assertThat(Long.parseLong(g0[4])).isPositive();
                        }));
        proxy.queue().commit("ops-it", "shardwire.changes", 0, 0);
        assertThat(mariadb("admin", "admin", "SHOW SHARDWIRE QUEUE").stdout())
                .containsPattern("(?m)^shardwire\\.changes\t0\tNULL\t0\t[1-9]\\d*\t[1-9]\\d*\tNULL\tNULL$")
                .containsPattern("(?m)^shardwire\\.changes\t0\tops-it\t0\t[1-9]\\d*\t[1-9]\\d*\t0\t[1-9]\\d*$");
    }

    @Test
    void metricsHaveEveryFamily() throws Exception {
        try (Connection app = connect("app", "app"); Statement s = app.createStatement()) {
            // A scatter read over the 4 data nodes, then an error.
            s.executeQuery("SELECT COUNT(*) FROM customers").close();
            try {
                s.executeQuery("SELECT * FROM no_such_table").close();
            } catch (SQLException expected) {
                assertThat(expected.getErrorCode()).isEqualTo(1146);
            }
        }
        proxy.queue().commit("ops-metrics", "shardwire.changes", 1, 0);
        HttpResponse<String> response = Metrics.scrape(proxy.httpPort());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains(
                "\nshardwire_connections ",
                "\nshardwire_connections_accepted_total ",
                "\nshardwire_connections_refused_total 0.0",
                "\nshardwire_statements_total{type=\"select\"} ",
                "shardwire_statements_total{type=\"ddl\"}",
                "shardwire_statement_duration_seconds_bucket{type=\"select\",le=\"0.001\"}",
                "shardwire_route_data_nodes_bucket{le=\"4.0\"}",
                "shardwire_errors_total{code=\"1146\"} ",
                "hikaricp_connections_active{pool=\"shardwire-g0-primary\"}",
                "hikaricp_connections_max{pool=\"shardwire-g0-primary\"}",
                "shardwire_datasource_up{address=\"" + address(cluster.group("g1").replicas().getFirst())
                        + "\",group=\"g1\",role=\"replica\"} ",
                "shardwire_replica_lag_seconds{",
                "shardwire_replica_lag_transactions{",
                "shardwire_replica_suspensions_total{group=\"g1\",replica=\""
                        + address(cluster.group("g1").replicas().getFirst()) + "\"} 0.0",
                "\nshardwire_failovers_total 0.0",
                "shardwire_xa_transactions_total{outcome=\"commit\"} 0.0",
                "shardwire_xa_transactions_total{outcome=\"rollback\"} 0.0",
                "\nshardwire_xa_recovery_pending_groups ", "\nshardwire_xa_recovery_pending_decisions ",
                "\nshardwire_xa_recovery_pending_transactions 0.0",
                "shardwire_cdc_events_total{group=\"g0\"}",
                "shardwire_cdc_lag_milliseconds{group=\"g1\"}",
                "shardwire_cdc_streaming{group=\"g0\"}",
                "shardwire_cdc_replica_ack_timeouts_total{group=\"g1\"} 0.0",
                "shardwire_queue_log_end_offset{partition=\"1\",topic=\"shardwire.changes\"}",
                "shardwire_queue_partition_bytes{partition=\"0\",topic=\"shardwire.changes\"}",
                "shardwire_queue_consumer_lag{group=\"ops-metrics\",partition=\"1\",topic=\"shardwire.changes\"}",
                "\nshardwire_queue_bytes ", "\nshardwire_queue_blocked_on_quota 0.0");
        // slowQueryMs is 0 here, so every statement is slow.
        assertThat(response.body()).containsPattern("\nshardwire_slow_statements_total [1-9]");
    }

    @Test
    void reloadOfABrokenFileKeepsTheRunningConfigurationAndSaysWhy() throws Exception {
        Files.writeString(configFile, originalYaml.replace("  users:\n", "  users:\n    - {name: eve, password: eve, schemas: [nosuch]}\n"));

        MariaDbCli.Result result = mariadb("admin", "admin", "RELOAD SHARDWIRE CONFIG");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("ERROR 1105 (HY000)").contains(
                "RELOAD SHARDWIRE CONFIG changed nothing, the running configuration stays: " + configFile
                        + ": server.users[0].schemas[0]: unknown schema 'nosuch'");
        assertThat(mariadb("eve", "eve", "SELECT 1").stderr()).contains("ERROR 1045");
        assertThat(mariadb("app", "app", "SELECT 1").stdout()).isEqualTo("1\n");
        assertThat(proxy.config().server().users()).extracting(u -> u.name()).containsExactly("app", "admin");
    }

    @Test
    void reloadAppliesUsersAndTheSlowQueryThresholdAndReportsThem() throws Exception {
        Files.writeString(configFile, originalYaml
                .replace("  users:\n", "  users:\n    - {name: bob, password: bob, schemas: [shop]}\n")
                .replace("slowQueryMs: 0", "slowQueryMs: 5000"));
        try {
            MariaDbCli.Result result = mariadb("admin", "admin", "RELOAD SHARDWIRE CONFIG");
            assertThat(result.stderr()).isEmpty();
            assertThat(result.stdout()).isEqualTo("server.users.bob\tadded\nmonitoring.slowQueryMs\t0 -> 5000\n");
            assertThat(proxy.config().monitoring().slowQueryMs()).isEqualTo(5000);
            assertThat(mariadb("bob", "bob", "SELECT 1").stdout()).isEqualTo("1\n");
        } finally {
            Files.writeString(configFile, originalYaml);
            assertThat(mariadb("admin", "admin", "RELOAD SHARDWIRE CONFIG").stdout())
                    .isEqualTo("server.users.bob\tremoved\nmonitoring.slowQueryMs\t5000 -> 0\n");
        }
        assertThat(mariadb("bob", "bob", "SELECT 1").stderr()).contains("ERROR 1045");
    }

    @Test
    void reloadRefusesWhatNeedsARestartAndChangesNothing() throws Exception {
        int port = proxy.port();
        Files.writeString(configFile, originalYaml.replace("port: " + port, "port: " + (port == 65535 ? 1 : port + 1))
                .replace("  users:\n", "  users:\n    - {name: carol, password: carol}\n"));

        MariaDbCli.Result result = mariadb("admin", "admin", "RELOAD SHARDWIRE CONFIG");

        assertThat(result.stderr()).contains("ERROR 1105 (HY000)").contains("server.port (" + port + " -> ")
                .contains("cannot change while the proxy runs; restart it to apply them");
        assertThat(mariadb("carol", "carol", "SELECT 1").stderr()).contains("ERROR 1045");
    }

    private static MariaDbCli.Result mariadb(String user, String password, String sql) throws Exception {
        return MariaDbCli.run(proxy.port(), user, password, user.equals("app") ? "shop" : null, sql);
    }

    private static Connection connect(String user, String password) throws SQLException {
        return java.sql.DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxy.port() + "/shop?sslMode=DISABLED",
                user, password);
    }

    private static String address(EmbeddedServer server) {
        return server.host() + ":" + server.port();
    }
}
