package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user without admin cannot reach the backend account's server-wide privileges through the proxy (global variables,
 * users, the server's files, other databases), written plainly or inside executable comments; and an executable
 * comment is run as the server runs it: {@code /*!40101 SET ... *}{@code /}, as mariadb-dump writes, reaches every
 * group as a plain SET does.
 */
class ServerPrivilegesIT {

    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.startWithDemoTables("privileges", 2, "customers");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static int errorOf(Statement s, String sql) {
        try {
            s.execute(sql);
            return 0;
        } catch (SQLException e) {
            return e.getErrorCode();
        }
    }

    private static String backendValue(String sql) throws SQLException {
        try (Connection direct = fixture.cluster.group("g0").primary().connect(); Statement s = direct.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void serverWideStatementsAreRefusedPlainOrInExecutableComments() throws Exception {
        Path file = Files.createTempDirectory("privileges").resolve("out.txt");
        String before = backendValue("SELECT @@global.max_connections");
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            assertThat(errorOf(s, "SET GLOBAL max_connections = 7")).isEqualTo(1227);
            assertThat(errorOf(s, "/*!40101 SET GLOBAL max_connections = 7 */")).isEqualTo(1227);
            assertThat(errorOf(s, "CREATE USER sw_probe@localhost")).isEqualTo(1227);
            assertThat(errorOf(s, "SELECT 1 INTO OUTFILE '" + file + "'")).isEqualTo(1045);
            assertThat(errorOf(s, "/*!40000 SELECT LOAD_FILE('/etc/hostname') */")).isEqualTo(1045);
            assertThat(errorOf(s, "CREATE DATABASE sw_probe")).isEqualTo(1044);
            assertThat(errorOf(s, "/*!40000 CREATE DATABASE sw_probe */")).isEqualTo(1044);
            assertThat(errorOf(s, "PREPARE p FROM 'SET GLOBAL max_connections = 7'")).isEqualTo(1235);
            assertThat(errorOf(s, "EXECUTE IMMEDIATE 'CREATE DATABASE sw_probe'")).isEqualTo(1235);
            assertThat(errorOf(s, "SHOW ENGINE INNODB STATUS")).isEqualTo(1227);
            assertThat(errorOf(s, "SELECT trx_query FROM information_schema.INNODB_TRX")).isEqualTo(1227);
            assertThat(s.executeQuery("SELECT 1").next()).as("the session goes on").isTrue();
        }
        assertThat(backendValue("SELECT @@global.max_connections")).isEqualTo(before);
        assertThat(backendValue("SELECT COUNT(*) FROM mysql.user WHERE user = 'sw_probe'")).isEqualTo("0");
        assertThat(backendValue("SHOW DATABASES LIKE 'sw_probe'")).isNull();
        assertThat(file).doesNotExist();
        // The operator's admin user is the backend account's.
        try (Connection admin = fixture.connect("admin", "admin", "shop"); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS sw_admin_made");
            s.execute("DROP DATABASE sw_admin_made");
        }
    }

    @Test
    void grantsSessionsAndDatabasesShownAreTheUsersOwn() throws Exception {
        try (Connection c = fixture.app(); Statement s = c.createStatement(); Connection other = fixture.app();
             Connection admin = fixture.connect("admin", "admin", "shop")) {
            assertThat(rows(s, "SHOW GRANTS")).containsExactly("GRANT USAGE ON *.* TO `app`@`%`",
                    "GRANT ALL PRIVILEGES ON `shop`.* TO `app`@`%`");
            assertThat(rows(s, "SHOW GRANTS FOR CURRENT_USER()")).hasSize(2);
            assertThat(errorOf(s, "SHOW GRANTS FOR 'root'@'localhost'")).isEqualTo(1044);
            long self = Long.parseLong(rows(s, "SELECT CONNECTION_ID()").getFirst());
            List<String> ids = rows(s, "SHOW PROCESSLIST");
            assertThat(ids).contains(Long.toString(self)).hasSizeGreaterThanOrEqualTo(2);
            try (ResultSet rs = s.executeQuery("SHOW FULL PROCESSLIST")) {
                while (rs.next()) {
                    assertThat(rs.getString("User")).isEqualTo("app");
                }
            }
            assertThat(errorOf(s, "SELECT * FROM information_schema.PROCESSLIST")).isEqualTo(1227);
            assertThat(rows(s, "SHOW DATABASES LIKE '%'")).containsExactly("information_schema", "shop");
            assertThat(rows(s, "SHOW SCHEMAS LIKE 'sh%'")).containsExactly("shop");
            // The operator sees the backends.
            assertThat(rows(admin.createStatement(), "SHOW DATABASES LIKE 'shop%'")).contains("shop_0");
        }
    }

    private static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    @Test
    void aSetInAnExecutableCommentReachesEveryGroup() throws Exception {
        List<Long> ids = idsOnEachGroup();
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            for (long id : ids) {
                s.execute("INSERT INTO customers (id, name, email, created_at) VALUES (" + id + ", 'c', 'c" + id
                        + "@example.com', '2026-11-28 10:00:00')");
            }
            // As a dump's restore sends it; then a read over both groups, each group's connection taken afterwards.
            s.execute("/*!40101 SET @restored = 'yes' */");
            s.execute("/*!40103 SET TIME_ZONE = '+03:00' */");
            List<String> seen = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT id, @restored, @@session.time_zone FROM customers ORDER BY id")) {
                while (rs.next()) {
                    seen.add(rs.getString(2) + " " + rs.getString(3));
                }
            }
            assertThat(seen).hasSize(ids.size()).containsOnly("yes +03:00");
            // The version that MariaDB skips (MySQL 5.7 and later) stays a comment.
            s.execute("/*!50717 SET @restored = 'mysql' */");
            try (ResultSet rs = s.executeQuery("SELECT @restored")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("yes");
            }
            // mariadb-dump --databases writes its IF NOT EXISTS in a comment.
            s.execute("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop` /*!40100 DEFAULT CHARACTER SET utf8mb4 */");
        }
    }

    /** Two ids placed on g0 and two on g1 by the table's hash, as EXPLAIN SHARDWIRE shows. */
    private static List<Long> idsOnEachGroup() throws SQLException {
        List<Long> g0 = new ArrayList<>();
        List<Long> g1 = new ArrayList<>();
        try (Connection app = fixture.app(); Statement s = app.createStatement()) {
            for (long id = 1; g0.size() < 2 || g1.size() < 2; id++) {
                try (ResultSet plan = s.executeQuery("EXPLAIN SHARDWIRE SELECT * FROM customers WHERE id = " + id)) {
                    plan.next();
                    List<Long> group = plan.getString("shard_group").equals("g0") ? g0 : g1;
                    if (group.size() < 2) {
                        group.add(id);
                    }
                }
            }
        }
        List<Long> ids = new ArrayList<>(g0);
        ids.addAll(g1);
        return ids;
    }
}
