package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.proxy.demo.DemoSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A backup and restore through the proxy with Debian's mariadb-dump and mariadb CLI, as docs/sql-support.md
 * recommends ({@code --single-transaction --skip-add-locks --complete-insert}): the dump's executable comments (SET
 * NAMES, TIME_ZONE, the saved and restored {@code character_set_client}, ALTER TABLE ... DISABLE KEYS) run as the
 * server runs them, and the demo schema spread over 2 groups comes back with the same rows.
 */
class DumpRestoreIT {

    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.startWithDemoTables("dump", 2, "orders", "customers", "products");
        try (Connection admin = fixture.connect("admin", "admin", "shop")) {
            DemoSchema.fill(admin);
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static List<String> checksums() throws SQLException {
        List<String> sums = new ArrayList<>();
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            for (String sql : List.of("SELECT COUNT(*), SUM(id), SUM(CRC32(CONCAT(name, email, created_at))), SUM(LENGTH(email)) FROM customers",
                    "SELECT COUNT(*), SUM(id), SUM(amount), SUM(customer_id * quantity) FROM orders",
                    "SELECT COUNT(*), SUM(id), SUM(price), SUM(CRC32(name)) FROM products")) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    rs.next();
                    sums.add(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3) + "/" + rs.getString(4));
                }
            }
        }
        return sums;
    }

    private static String run(List<String> command, Path stdin, Path stdout) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        if (stdout != null) {
            builder.redirectOutput(stdout.toFile());
        }
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not finish in 120 s: " + command);
        }
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(command + ": " + errors).isZero();
        return errors;
    }

    @Test
    void aDumpRestoredThroughTheProxyGivesTheSameRows() throws Exception {
        List<String> before = checksums();
        assertThat(before.getFirst()).startsWith(DemoSchema.CUSTOMERS + "/");
        Path dump = Files.createTempFile("shardwire-dump", ".sql");
        String port = "-P" + fixture.proxy.port();
        run(List.of("mariadb-dump", "--no-defaults", "--skip-ssl", "-h127.0.0.1", port, "-uapp", "-papp",
                "--single-transaction", "--skip-add-locks", "--complete-insert", "shop"), null, dump);
        String text = Files.readString(dump);
        assertThat(text).contains("SET character_set_client = @saved_cs_client").contains("DISABLE KEYS");

        run(List.of("mariadb", "--no-defaults", "--skip-ssl", "-h127.0.0.1", port, "-uapp", "-papp", "shop"), dump, null);
        assertThat(checksums()).isEqualTo(before);
    }
}
