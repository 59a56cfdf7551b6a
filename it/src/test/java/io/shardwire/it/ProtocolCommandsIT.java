package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.proxy.demo.DemoSchema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Protocol commands that drivers rarely send, pipelining, and malformed input, on a raw socket. */
class ProtocolCommandsIT {

    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.start("protocol", 1);
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS fields_t");
            s.execute("CREATE TABLE fields_t (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(8,2))");
            s.execute("INSERT INTO fields_t VALUES (1, 'one', 1.50)");
        }
        try (Connection admin = fixture.connect("admin", "admin", "")) {
            DemoSchema.create(admin);
            admin.createStatement().execute("DROP PROCEDURE IF EXISTS two_results");
            admin.createStatement().execute("CREATE PROCEDURE two_results() BEGIN SELECT 1 AS a; SELECT 2 AS b; END");
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static RawMySQLClient login() throws Exception {
        return RawMySQLClient.login(fixture.proxy.port(), "app", "app", "shop");
    }

    @Test
    void fieldListDescribesTheTablesColumns() throws Exception {
        try (RawMySQLClient client = login()) {
            client.send(0x04, "fields_t\0".getBytes(StandardCharsets.UTF_8));
            List<RawMySQLClient.Packet> packets = client.readUntilEnd();
            assertThat(packets).hasSize(4);
            assertThat(new String(packets.get(1).payload(), StandardCharsets.UTF_8)).contains("name");
            assertThat(packets.getLast().isEof()).isTrue();
            assertThat(packets).extracting(RawMySQLClient.Packet::sequenceId).containsExactly(1, 2, 3, 4);
        }
    }

    @Test
    void setOptionTurnsMultiStatementsOnAndOff() throws Exception {
        byte[] twoSelects = "SELECT 1; SELECT 2".getBytes(StandardCharsets.UTF_8);
        try (RawMySQLClient client = login()) {
            // This client's handshake does not ask for multi-statements: MariaDB reads a second statement as bad syntax.
            client.send(0x03, twoSelects);
            RawMySQLClient.Packet refused = client.read();
            assertThat(refused.isErr()).isTrue();
            assertThat(refused.errorCode()).isEqualTo(1064);
            assertThat(refused.errorMessage()).endsWith("near 'SELECT 2' at line 1");

            client.send(0x1b, new byte[] {0, 0});
            assertThat(client.read().isEof()).isTrue();
            client.send(0x03, twoSelects);
            for (int value = 1; value <= 2; value++) {
                client.readUntilEnd();
                List<RawMySQLClient.Packet> rows = client.readUntilEnd();
                assertThat(new String(rows.getFirst().payload(), 1, 1, StandardCharsets.UTF_8)).isEqualTo(value + "");
                int moreResults = rows.getLast().eofStatusFlags() & 0x0008;
                assertThat(moreResults).as("SERVER_MORE_RESULTS_EXISTS after result " + value).isEqualTo(value == 1 ? 8 : 0);
            }
            // A statement is prepared alone, whatever the option.
            client.send(0x16, twoSelects);
            assertThat(client.read().errorCode()).isEqualTo(1064);

            client.send(0x1b, new byte[] {1, 0});
            assertThat(client.read().isEof()).isTrue();
            client.send(0x03, twoSelects);
            assertThat(client.read().errorCode()).isEqualTo(1064);
            client.send(0x1b, new byte[] {7, 0});
            assertThat(client.read().errorCode()).isEqualTo(1047);
            client.send(0x03, "SELECT 3;".getBytes(StandardCharsets.UTF_8));
            assertThat(client.readUntilEnd().getFirst().isErr()).isFalse();
        }
    }

    @Test
    void theResultsOfSeveralStatementsAreOneResponseNumberedInOneSequence() throws Exception {
        try (RawMySQLClient client = login()) {
            client.send(0x1b, new byte[] {0, 0});
            client.read();
            // The last statement is a single-node read, the kind the proxy relays from a backend's own packets.
            client.send(0x03, "SELECT 1; DO 2; SELECT name FROM fields_t WHERE id = 1".getBytes(StandardCharsets.UTF_8));
            List<RawMySQLClient.Packet> packets = new ArrayList<>();
            for (int part = 0; part < 5; part++) {
                packets.addAll(client.readUntilEnd());
            }
            assertThat(packets.get(5).isOk()).as("DO's OK").isTrue();
            assertThat(new String(packets.get(9).payload(), 1, 3, StandardCharsets.UTF_8)).isEqualTo("one");
            assertThat(packets.getLast().isEof()).isTrue();
            assertThat(packets.getLast().eofStatusFlags() & 0x0008).isZero();
            assertThat(packets).extracting(RawMySQLClient.Packet::sequenceId)
                    .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        }
    }

    /** The status flags AUTOCOMMIT (2) and IN_TRANS (1) at the end of the response to {@code sql}. */
    private static int transactionFlags(RawMySQLClient client, String sql) throws Exception {
        client.send(0x03, sql.getBytes(StandardCharsets.UTF_8));
        RawMySQLClient.Packet last = client.readUntilEnd().getLast();
        if (!last.isOk()) {
            assertThat(last.isErr()).as(sql).isFalse();
            last = client.readUntilEnd().getLast();
        }
        if (last.isEof()) {
            return last.eofStatusFlags() & 0x03;
        }
        byte[] p = last.payload();
        int at = 1 + lengthEncodedSize(p, 1);
        at += lengthEncodedSize(p, at);
        return ((p[at] & 0xFF) | (p[at + 1] & 0xFF) << 8) & 0x03;
    }

    private static int lengthEncodedSize(byte[] payload, int at) {
        int first = payload[at] & 0xFF;
        return first < 0xFB ? 1 : first == 0xFC ? 3 : first == 0xFD ? 4 : 9;
    }

    @Test
    void resultsInsideATransactionSayTheSessionIsInOne() throws Exception {
        // Clients decide whether COMMIT has anything to do from these flags (the mariadb npm connector skips it
        // when the last response said no transaction is open).
        try (RawMySQLClient client = login()) {
            String[] reads = {"SELECT name FROM fields_t WHERE id = 1", "SELECT COUNT(*) FROM customers",
                    "SELECT id FROM customers ORDER BY id LIMIT 2"};
            assertThat(transactionFlags(client, "START TRANSACTION")).isEqualTo(3);
            for (String read : reads) {
                assertThat(transactionFlags(client, read)).as(read).isEqualTo(3);
            }
            assertThat(transactionFlags(client, "COMMIT")).isEqualTo(2);
            assertThat(transactionFlags(client, "SET autocommit = 0")).isEqualTo(0);
            for (String read : reads) {
                assertThat(transactionFlags(client, read)).as(read).isEqualTo(1);
            }
            assertThat(transactionFlags(client, "ROLLBACK")).isEqualTo(0);
            assertThat(transactionFlags(client, "SET autocommit = 1")).isEqualTo(2);
            for (String read : reads) {
                assertThat(transactionFlags(client, read)).as(read).isEqualTo(2);
            }
        }
    }

    @Test
    void aCallsResultSetsSayMoreFollowUntilItsOk() throws Exception {
        try (RawMySQLClient client = login()) {
            client.send(0x03, "CALL two_results()".getBytes(StandardCharsets.UTF_8));
            for (int value = 1; value <= 2; value++) {
                client.readUntilEnd();
                List<RawMySQLClient.Packet> rows = client.readUntilEnd();
                assertThat(new String(rows.getFirst().payload(), 1, 1, StandardCharsets.UTF_8)).isEqualTo(value + "");
                assertThat(rows.getLast().eofStatusFlags() & 0x0008).as("more after result " + value).isEqualTo(8);
            }
            RawMySQLClient.Packet end = client.read();
            assertThat(end.isOk()).isTrue();
            assertThat(end.sequenceId()).isEqualTo(11);
            // The connection is in step: the next command's answer is its own.
            client.send(0x03, "SELECT 3".getBytes(StandardCharsets.UTF_8));
            List<RawMySQLClient.Packet> next = client.readUntilEnd();
            assertThat(next.getFirst().sequenceId()).isEqualTo(1);
            assertThat(new String(client.readUntilEnd().getFirst().payload(), 1, 1, StandardCharsets.UTF_8)).isEqualTo("3");
        }
    }

    @Test
    void aPreparedMergeDescribesOnlyTheColumnsItsExecuteReturns() throws Exception {
        // Over several data nodes the node statements carry derived columns (AVG's SUM and COUNT, sort keys) that the
        // merge drops; libmariadb clients (DBI, Ruby mysql2) bind the prepare's columns and refuse a different count.
        try (RawMySQLClient client = login()) {
            for (String sql : List.of("SELECT AVG(amount) FROM orders WHERE customer_id <= ?",
                    "SELECT * FROM orders ORDER BY created_at LIMIT ?")) {
                client.send(0x16, sql.getBytes(StandardCharsets.UTF_8));
                RawMySQLClient.Packet prepareOk = client.read();
                assertThat(prepareOk.isOk()).as(sql).isTrue();
                byte[] p = prepareOk.payload();
                int columns = (p[5] & 0xFF) | (p[6] & 0xFF) << 8;
                assertThat(columns).as(sql).isEqualTo(sql.startsWith("SELECT AVG") ? 1 : 6);
                for (int packet = 0; packet < 1 + 1 + columns + 1; packet++) {
                    client.read();
                }
            }
        }
    }

    @Test
    void logicalMetadataIsAnsweredAsTextOnlyAndDriversFallBackToIt() throws Exception {
        List<String> statements = List.of("SHOW TABLES", "SHOW COLUMNS FROM orders", "SHOW INDEX FROM orders",
                "SHOW CREATE TABLE orders", "DESCRIBE orders",
                "SELECT table_name FROM information_schema.TABLES WHERE table_schema = ?");
        try (RawMySQLClient client = login()) {
            for (String sql : statements) {
                client.send(0x16, sql.getBytes(StandardCharsets.UTF_8));
                assertThat(client.read().errorCode()).as(sql).isEqualTo(1295);
            }
        }
        try (Connection c = fixture.connect("app", "app", "shop", "useServerPrepStmts", "true");
             java.sql.PreparedStatement columns = c.prepareStatement("SHOW COLUMNS FROM orders");
             ResultSet rs = columns.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("Field")).isEqualTo("id");
        }
    }

    @Test
    void theAnswerToACommandOfSeveralPiecesContinuesTheirSequence() throws Exception {
        // A COM_QUERY over 16 MB arrives as pieces 0 and 1: the answer starts at 2, or strict clients (PyMySQL,
        // mysql2) drop the connection though the statement ran.
        String padding = "x".repeat(0xFFFFFF + 10);
        try (RawMySQLClient client = login()) {
            client.sendSplit(0x03, ("SELECT 7 /* " + padding + " */").getBytes(StandardCharsets.UTF_8));
            List<RawMySQLClient.Packet> columns = client.readUntilEnd();
            assertThat(columns.getFirst().sequenceId()).isEqualTo(2);
            List<RawMySQLClient.Packet> rows = client.readUntilEnd();
            assertThat(new String(rows.getFirst().payload(), 1, 1, StandardCharsets.UTF_8)).isEqualTo("7");
            client.send(0x03, "SELECT 8".getBytes(StandardCharsets.UTF_8));
            assertThat(client.readUntilEnd().getFirst().sequenceId()).isEqualTo(1);
            client.readUntilEnd();
        }
    }

    @Test
    void statementsThatChangeSessionStateCannotBePrepared() throws Exception {
        try (RawMySQLClient client = login()) {
            for (String sql : List.of("BEGIN", "START TRANSACTION", "COMMIT", "SET @a = 1", "KILL QUERY 1")) {
                client.send(0x16, sql.getBytes(StandardCharsets.UTF_8));
                RawMySQLClient.Packet refused = client.read();
                assertThat(refused.isErr()).as(sql).isTrue();
                assertThat(refused.errorCode()).as(sql).isEqualTo(1295);
            }
            client.send(0x16, "SELECT ?".getBytes(StandardCharsets.UTF_8));
            assertThat(client.read().isOk()).isTrue();
        }
    }

    @Test
    void statisticsAndPingWithMariaDbAdmin() throws Exception {
        Process admin = new ProcessBuilder("mariadb-admin", "--no-defaults", "--skip-ssl", "-h127.0.0.1",
                "-P" + fixture.proxy.port(), "-uapp", "-papp", "status", "ping").start();
        String output = new String(admin.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(admin.waitFor()).isZero();
        assertThat(output).containsPattern("Uptime: \\d+ +Threads: \\d+ +Questions: \\d+").contains("mysqld is alive");
    }

    @Test
    void pipelinedPrepareAndExecuteAreAnsweredInOrderWithFreshSequenceIds() throws Exception {
        try (RawMySQLClient client = login()) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(frame(0x16, "SELECT name FROM fields_t WHERE id = 1".getBytes(StandardCharsets.UTF_8)));
            // COM_STMT_EXECUTE of statement 0xFFFFFFFF: "the one just prepared", as MariaDB clients pipeline it.
            both.writeBytes(frame(0x17, new byte[] {-1, -1, -1, -1, 0, 1, 0, 0, 0}));
            client.sendRaw(both.toByteArray());

            RawMySQLClient.Packet prepareOk = client.read();
            assertThat(prepareOk.isOk()).isTrue();
            assertThat(prepareOk.sequenceId()).isEqualTo(1);
            List<RawMySQLClient.Packet> columns = client.readUntilEnd();
            assertThat(columns.getLast().isEof()).isTrue();

            RawMySQLClient.Packet columnCount = client.read();
            assertThat(columnCount.sequenceId()).as("the execute's response starts at 1").isEqualTo(1);
            assertThat(columnCount.payload()).containsExactly(1);
            client.readUntilEnd();
            RawMySQLClient.Packet row = client.read();
            assertThat(new String(row.payload(), StandardCharsets.UTF_8)).endsWith("one");
            assertThat(client.read().isEof()).isTrue();
        }
    }

    @Test
    void malformedAndUnknownCommandsGetErrorsAndTheSessionGoesOn() throws Exception {
        try (RawMySQLClient client = login()) {
            client.send(0x17, new byte[] {1, 2});
            RawMySQLClient.Packet truncated = client.read();
            assertThat(truncated.isErr()).isTrue();
            assertThat(truncated.errorCode()).isEqualTo(1835);

            client.send(0x7f, new byte[0]);
            assertThat(client.read().errorCode()).isEqualTo(1047);

            client.send(0x17, new byte[] {9, 0, 0, 0, 0, 1, 0, 0, 0});
            RawMySQLClient.Packet unknown = client.read();
            assertThat(unknown.errorCode()).isEqualTo(1243);

            client.send(0x03, "SELECT 7 * 6".getBytes(StandardCharsets.UTF_8));
            List<RawMySQLClient.Packet> result = client.readUntilEnd();
            assertThat(result.getFirst().payload()).containsExactly(1);
        }
        try (Connection c = fixture.app(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    private static byte[] frame(int command, byte[] body) {
        int length = body.length + 1;
        byte[] packet = new byte[4 + length];
        packet[0] = (byte) length;
        packet[1] = (byte) (length >> 8);
        packet[2] = (byte) (length >> 16);
        packet[3] = 0;
        packet[4] = (byte) command;
        System.arraycopy(body, 0, packet, 5, body.length);
        return packet;
    }
}
