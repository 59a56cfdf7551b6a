package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwire.proxy.ShardwireServer;
import io.shardwire.proxy.health.HealthState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native backend path ({@code server.nativeBackend}): prepared and text-protocol single-node reads answered over
 * the proxy's own MySQL protocol connections give the client the same bytes as the server itself (and what
 * Connector/J reads alike on the JDBC path), every other statement keeps the JDBC path, and a client that leaves or a
 * KILL QUERY is handled. One proxy runs with the
 * native path, a second one over the same shard group without it, as the reference.
 */
class NativeBackendIT {

    private static final String COLUMNS = "id INT PRIMARY KEY, ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT,"
            + " mi MEDIUMINT, i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED, f FLOAT, d DOUBLE,"
            + " dc DECIMAL(30,10), dt DATE, dtm DATETIME(6), ts TIMESTAMP(3) NULL, tm TIME(6), y YEAR, ch CHAR(5),"
            + " vc VARCHAR(100), lt VARCHAR(20) CHARACTER SET latin1, tx TEXT, bl BLOB, vb VARBINARY(10), bt BIT(16),"
            + " en ENUM('a','b'), st SET('x','y'), js JSON, g GEOMETRY";
    private static final String ROW_MIN = "1, -128, 0, -32768, -8388608, -2147483648, 0, -9223372036854775808, 0,"
            + " -3.4e38, -1.7976931348623157e308, -99999999999999999999.9999999999, '1000-01-01',"
            + " '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000', '-838:59:59.000000', 1901, '', '', '', '',"
            + " '', '', b'0', 'a', '', '[]', ST_GeomFromText('POINT(1 2)')";
    private static final String ROW_MAX = "2, 127, 255, 32767, 8388607, 2147483647, 4294967295, 9223372036854775807,"
            + " 18446744073709551615, 3.4e38, 1.7976931348623157e308, 99999999999999999999.9999999999, '9999-12-31',"
            + " '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999', '838:59:59.000000', 2155, 'ÿñçø€',"
            + " 'héllo wörld ✓ 日本語', 'çà ü', REPEAT('x', 10000), x'00ff7f80', x'0102030405060708090a', b'1111111111',"
            + " 'b', 'x,y', '{\"k\": [1, 2.5, \"s\", null, true]}', ST_GeomFromText('LINESTRING(0 0, 1 2)')";
    private static final String ROW_NULLS = "3" + ", NULL".repeat(27);

    private static final int BIG_ROWS = 50_000;
    /** Bytes the shard may send in a probe interval while a read is stalled (the probes themselves). */
    private static final long STALLED_BYTES = 256 * 1024;

    private static ProxyFixture fixture;
    private static ShardwireServer jdbcOnly;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.start("native-backend", 1);
        jdbcOnly = fixture.secondProxy("target/it-data/native-backend/jdbc-proxy", false);
        for (ShardwireServer proxy : List.of(fixture.proxy, jdbcOnly)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> proxy.health().primaryHealth("g0").state() == HealthState.UP);
        }
        try (Connection c = serverPrepared(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS nb_types");
            s.execute("CREATE TABLE nb_types (" + COLUMNS + ")");
            s.execute("INSERT INTO nb_types VALUES (" + ROW_MIN + "), (" + ROW_MAX + "), (" + ROW_NULLS + ")");
            s.execute("DROP TABLE IF EXISTS nb_big");
            s.execute("CREATE TABLE nb_big (id INT PRIMARY KEY, pad VARCHAR(1000))");
            s.execute("INSERT INTO nb_big SELECT seq, REPEAT('p', 1000) FROM seq_1_to_" + BIG_ROWS);
        }
    }

    @AfterAll
    static void stop() {
        if (jdbcOnly != null) {
            jdbcOnly.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void everyColumnTypeComesByteForByteAsTheServerSendsIt() throws Exception {
        String select = "SELECT * FROM nb_types WHERE id >= ? ORDER BY id";
        long before = nativeExecutions();
        List<RawMySQLClient.Packet> viaNative = executeRaw(fixture.proxy.port(), select, 0);
        assertThat(nativeExecutions()).as(why("the native path answered")).isEqualTo(before + 1);
        List<RawMySQLClient.Packet> viaJdbc = executeRaw(jdbcOnly.port(), select, 0);
        List<RawMySQLClient.Packet> straight = executeRawDirect(select, 0);

        // count, 28 definitions, EOF, 3 rows, EOF
        assertThat(viaNative).hasSize(1 + 28 + 1 + 3 + 1);
        assertThat(payloads(viaNative)).as("byte for byte what MariaDB sends (schema and table names are the same"
                + " here: shop on g0 is the physical database shop)").isEqualTo(payloads(straight));
        assertThat(sequenceIds(viaNative)).isEqualTo(sequenceIds(viaJdbc));
        assertThat(payloads(viaNative.subList(0, 1))).isEqualTo(payloads(viaJdbc.subList(0, 1)));
        // The JDBC path differs from the server in a few column definition bytes (Connector/J's precision as an
        // integer's display length, BLOB_FLAG on VARBINARY) and in the EOF after them; the native path does not.
    }

    @Test
    void aTextReadComesByteForByteAsTheServerSendsIt() throws Exception {
        String select = "SELECT * FROM nb_types WHERE id >= 0 ORDER BY id";
        long before = nativeExecutions();
        List<RawMySQLClient.Packet> viaNative = queryRaw(fixture.proxy.port(), select);
        assertThat(nativeExecutions()).as(why("the native path answered")).isEqualTo(before + 1);
        List<RawMySQLClient.Packet> viaJdbc = queryRaw(jdbcOnly.port(), select);
        List<RawMySQLClient.Packet> straight;
        try (RawMySQLClient client = directClient()) {
            straight = queryWith(client, select);
        }

        // count, 28 definitions, EOF, 3 rows, EOF
        assertThat(viaNative).hasSize(1 + 28 + 1 + 3 + 1);
        assertThat(payloads(viaNative)).as("byte for byte what MariaDB sends").isEqualTo(payloads(straight));
        assertThat(sequenceIds(viaNative)).isEqualTo(sequenceIds(viaJdbc));
        assertThat(payloads(viaNative.subList(30, 33))).as("the rows, as the JDBC path relays them")
                .isEqualTo(payloads(viaJdbc.subList(30, 33)));
    }

    @Test
    void textReadsOfOneShapeSentAtOnceAreAnsweredNativelyInOrder() throws Exception {
        // The first of a shape is planned on the session's worker; the later ones are started from the event loop
        // when the worker is idle, or wait behind the ones before them: every answer must come in order.
        int rounds = 60;
        long before = nativeExecutions();
        try (RawMySQLClient client = RawMySQLClient.login(fixture.proxy.port(), "app", "app", "shop")) {
            for (int batch = 0; batch < rounds / 6; batch++) {
                for (int i = 0; i < 6; i++) {
                    client.send(0x03, ("SELECT id, ti FROM nb_types WHERE id = " + (1 + i % 3))
                            .getBytes(StandardCharsets.UTF_8));
                }
                for (int i = 0; i < 6; i++) {
                    List<RawMySQLClient.Packet> packets = new ArrayList<>(List.of(client.read()));
                    packets.addAll(client.readUntilEnd());
                    RawMySQLClient.Packet row = client.read();
                    assertThat(client.read().isEof()).as("one row, then the end").isTrue();
                    assertThat(packets).as("count, 2 definitions, EOF").hasSize(4);
                    assertThat(new String(row.payload(), 1, 1, StandardCharsets.US_ASCII)).as("the row of query %d", i)
                            .isEqualTo(String.valueOf(1 + i % 3));
                }
            }
        }
        assertThat(nativeExecutions()).as(why("every read on the native path")).isEqualTo(before + rounds);
    }

    @Test
    void connectorJReadsEveryColumnAlikeOnBothPathsInTheTextProtocolToo() throws Exception {
        String select = "SELECT * FROM nb_types WHERE id >= ? ORDER BY id";
        Connection connection = clientPrepared();
        long before = nativeExecutions();
        List<String> viaNative = readAll(connection, select);
        assertThat(nativeExecutions()).as(why("the native path answered")).isEqualTo(before + 1);
        assertThat(viaNative).hasSize(3).isEqualTo(readAll(jdbcProxy(false), select));
    }

    @Test
    void textReadsInATransactionOrWithUserVariablesKeepTheJdbcPath() throws Exception {
        try (Connection c = clientPrepared(); Statement s = c.createStatement()) {
            long before = nativeExecutions();
            c.setAutoCommit(false);
            s.executeUpdate("UPDATE nb_types SET vc = 'in the transaction' WHERE id = 2");
            assertThat(scalar(s, "SELECT vc FROM nb_types WHERE id = 2")).as("the transaction's own write")
                    .isEqualTo("in the transaction");
            c.rollback();
            c.setAutoCommit(true);
            s.execute("SET @marker = 'set on the pinned connection'");
            assertThat(scalar(s, "SELECT @marker FROM nb_types WHERE id = 2")).isEqualTo("set on the pinned connection");
            assertThat(nativeExecutions()).as("neither ran natively").isEqualTo(before);
        }
        try (Connection c = clientPrepared(); Statement s = c.createStatement()) {
            long before = nativeExecutions();
            assertThat(scalar(s, "SELECT vc FROM nb_types WHERE id = 2")).isEqualTo("héllo wörld ✓ 日本語");
            assertThat(nativeExecutions()).as(why("a plain autocommit read of a fresh session did")).isEqualTo(before + 1);
        }
    }

    @Test
    void aSessionWithSetNamesAndSessionSetsReadsNativelyInItsOwnState() throws Exception {
        // Results in latin1 ('✓' and '日本語' become '?'), and two rows at most: both only if the SETs went along.
        List<String> sets = List.of("SET NAMES latin1", "SET SESSION sql_select_limit = 2");
        String query = "SELECT id, vc, lt FROM nb_types WHERE id >= 0 ORDER BY id";
        String execute = "SELECT id, vc, lt FROM nb_types WHERE id >= ? ORDER BY id";
        // A column alias in the client's charset, latin1 now: the server names the column in it too.
        byte[] aliased = "SELECT vc AS 'gr\u00f6\u00dfe' FROM nb_types WHERE id = 2".getBytes(StandardCharsets.ISO_8859_1);
        List<RawMySQLClient.Packet> queried;
        List<RawMySQLClient.Packet> executed;
        List<RawMySQLClient.Packet> named;
        long before = nativeExecutions();
        try (RawMySQLClient client = RawMySQLClient.login(fixture.proxy.port(), "app", "app", "shop")) {
            setAll(client, sets);
            queried = queryWith(client, query);
            executed = executeWith(client, execute, 0);
            named = queryWith(client, aliased);
        }
        assertThat(nativeExecutions()).as(why("the reads on the native path")).isEqualTo(before + 3);
        try (RawMySQLClient client = directClient()) {
            setAll(client, sets);
            // count, 3 definitions, EOF, 2 rows, EOF
            assertThat(payloads(queried)).as("what the server answers in that state").hasSize(1 + 3 + 1 + 2 + 1)
                    .isEqualTo(payloads(queryWith(client, query)));
            assertThat(payloads(executed)).isEqualTo(payloads(executeWith(client, execute, 0)));
            assertThat(payloads(named)).isEqualTo(payloads(queryWith(client, aliased)));
        }
        assertThat(new String(queried.get(6).payload(), StandardCharsets.ISO_8859_1)).contains("h\u00e9llo w\u00f6rld ? ???");

        // A fresh session on the same event loops gets a connection in the default state, not the one above.
        before = nativeExecutions();
        List<RawMySQLClient.Packet> fresh = queryRaw(fixture.proxy.port(), query);
        assertThat(nativeExecutions()).as(why("the fresh session's read on the native path")).isEqualTo(before + 1);
        assertThat(fresh).as("three rows").hasSize(1 + 3 + 1 + 3 + 1);
        assertThat(new String(fresh.get(6).payload(), StandardCharsets.UTF_8)).contains("h\u00e9llo w\u00f6rld \u2713 \u65e5\u672c\u8a9e");
    }

    @Test
    void sessionsThatEachSetSomethingElseDoNotPileUpNativeConnections() throws Exception {
        long before = nativeConnections();
        long executions = nativeExecutions();
        int sessions = 40;
        for (int i = 0; i < sessions; i++) {
            try (RawMySQLClient client = RawMySQLClient.login(fixture.proxy.port(), "app", "app", "shop")) {
                setAll(client, List.of("SET SESSION sql_select_limit = " + (1000 + i)));
                assertThat(queryWith(client, "SELECT id FROM nb_types WHERE id = 1")).as("count, definition, EOF, row, EOF")
                        .hasSize(5);
            }
        }
        assertThat(nativeExecutions()).as(why("every read on the native path")).isEqualTo(executions + sessions);
        // Each session's list of SETs is its own: a connection each, of which an event loop keeps those of 4 lists.
        long bound = 4L * Runtime.getRuntime().availableProcessors();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(nativeConnections() - before)
                .as("native connections more than before").isLessThanOrEqualTo(bound));
    }

    @Test
    void aSessionThatSetAUserVariableKeepsTheJdbcPath() throws Exception {
        // Such SETs are a session's own (an id): connections that replayed them would serve that session alone.
        try (RawMySQLClient client = RawMySQLClient.login(fixture.proxy.port(), "app", "app", "shop")) {
            setAll(client, List.of("SET NAMES utf8mb4"));
            long before = nativeExecutions();
            assertThat(queryWith(client, "SELECT id FROM nb_types WHERE id = 1")).hasSize(5);
            assertThat(nativeExecutions()).as(why("the read before the user variable on the native path"))
                    .isEqualTo(before + 1);
            setAll(client, List.of("SET @session_marker = 'mine'"));
            assertThat(queryWith(client, "SELECT id FROM nb_types WHERE id = 1")).hasSize(5);
            assertThat(nativeExecutions()).as("the read after it on the JDBC path").isEqualTo(before + 1);
        }
    }

    @Test
    void aClientThatLeavesMidTextResultLeavesTheProxyServing() throws Exception {
        long before = nativeExecutions();
        try (RawMySQLClient client = RawMySQLClient.login(fixture.proxy.port(), "app", "app", "shop")) {
            client.send(0x03, "SELECT * FROM nb_big WHERE id >= 0".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 10; i++) {
                client.read();
            }
        }
        for (int round = 0; round < 5; round++) {
            try (Connection c = clientPrepared(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(LENGTH(pad)) FROM nb_big WHERE id >= 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(BIG_ROWS);
                assertThat(rs.getLong(2)).isEqualTo(BIG_ROWS * 1000L);
            }
        }
        assertThat(nativeExecutions()).as(why("complete reads on the native path after the client left"))
                .isGreaterThan(before);
    }

    @Test
    void connectorJReadsEveryColumnAlikeOnBothPaths() throws Exception {
        String select = "SELECT * FROM nb_types WHERE id >= ? ORDER BY id";
        long before = nativeExecutions();
        List<String> viaNative = readAll(serverPrepared(), select);
        assertThat(nativeExecutions()).as(why("the native path answered")).isGreaterThan(before);
        assertThat(viaNative).hasSize(3).isEqualTo(readAll(jdbcProxy(), select));
    }

    @Test
    void anExecuteSentAsSoonAsItsPrepareIsAnsweredRunsNatively() throws Exception {
        // The prepare runs on the session's worker, which may still be finishing it when its answer reached the client
        // and the execute arrived: the execute must wait for it, not leave the native path.
        int rounds = 200;
        long before = nativeExecutions();
        try (RawMySQLClient client = RawMySQLClient.login(fixture.proxy.port(), "app", "app", "shop")) {
            for (int i = 0; i < rounds; i++) {
                List<RawMySQLClient.Packet> packets = executeWith(client, "SELECT vc FROM nb_types WHERE id >= ?", 3);
                assertThat(packets).as("count, definition, EOF, one row, EOF").hasSize(5);
            }
        }
        assertThat(nativeExecutions()).as(why("every execute on the native path")).isEqualTo(before + rounds);
    }

    @Test
    void readsInATransactionOrWithUserVariablesKeepTheJdbcPath() throws Exception {
        try (Connection c = serverPrepared(); Statement s = c.createStatement();
             PreparedStatement read = c.prepareStatement("SELECT vc FROM nb_types WHERE id = ?");
             PreparedStatement withVariable = c.prepareStatement("SELECT @marker, vc FROM nb_types WHERE id = ?")) {
            read.setInt(1, 2);
            long before = nativeExecutions();
            c.setAutoCommit(false);
            s.executeUpdate("UPDATE nb_types SET vc = 'in the transaction' WHERE id = 2");
            try (ResultSet rs = read.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("the transaction's own write").isEqualTo("in the transaction");
            }
            c.rollback();
            c.setAutoCommit(true);
            s.execute("SET @marker = 'set on the pinned connection'");
            withVariable.setInt(1, 2);
            try (ResultSet rs = withVariable.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("set on the pinned connection");
            }
            assertThat(nativeExecutions()).as("neither ran natively").isEqualTo(before);
        }
        try (Connection c = serverPrepared();
             PreparedStatement read = c.prepareStatement("SELECT vc FROM nb_types WHERE id = ?")) {
            long before = nativeExecutions();
            read.setInt(1, 2);
            try (ResultSet rs = read.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("héllo wörld ✓ 日本語");
            }
            assertThat(nativeExecutions()).as(why("a plain autocommit read of a fresh session did")).isEqualTo(before + 1);
        }
    }

    @Test
    void aBackendErrorReachesTheClientAsOnTheJdbcPath() throws Exception {
        String select = "SELECT CAST(? AS UNSIGNED) * 18446744073709551615 FROM nb_types WHERE id = 1";
        SQLException nativeError = errorOf(serverPrepared(), select);
        SQLException jdbcError = errorOf(jdbcProxy(), select);
        assertThat(nativeError.getErrorCode()).isEqualTo(1690).isEqualTo(jdbcError.getErrorCode());
        assertThat(nativeError.getSQLState()).isEqualTo(jdbcError.getSQLState());
        // The JDBC path's message passed through Connector/J on the proxy too, which prefixes "Data truncation: ";
        // the client sees that prefix once on both paths.
        assertThat(nativeError.getMessage()).startsWith("Data truncation: ").isEqualTo(jdbcError.getMessage());
    }

    @Test
    void aClientThatLeavesMidResultLeavesTheProxyServing() throws Exception {
        long before = nativeExecutions();
        try (RawMySQLClient client = RawMySQLClient.login(fixture.proxy.port(), "app", "app", "shop")) {
            long statement = prepare(client, "SELECT * FROM nb_big WHERE id >= ?");
            client.send(0x17, executeBody(statement, 0));
            for (int i = 0; i < 10; i++) {
                client.read();
            }
        }
        for (int round = 0; round < 5; round++) {
            try (Connection c = serverPrepared();
                 PreparedStatement count = c.prepareStatement("SELECT COUNT(*), SUM(LENGTH(pad)) FROM nb_big WHERE id >= ?")) {
                count.setInt(1, 1);
                try (ResultSet rs = count.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(BIG_ROWS);
                    assertThat(rs.getLong(2)).isEqualTo(BIG_ROWS * 1000L);
                }
            }
        }
        // Each read is right whichever path answers it (a native attempt that fails before answering falls back).
        assertThat(nativeExecutions()).as(why("complete reads on the native path after the client left"))
                .isGreaterThan(before);
    }

    @Test
    void aClientThatStopsReadingPausesTheBackendInsteadOfBufferingInTheProxy() throws Exception {
        long total = BIG_ROWS * 1000L;
        long before = bytesSentByShard();
        try (RawMySQLClient client = RawMySQLClient.login(fixture.proxy.port(), "app", "app", "shop")) {
            long statement = prepare(client, "SELECT id, pad FROM nb_big WHERE id >= ?");
            long executions = nativeExecutions();
            client.send(0x17, executeBody(statement, 0));
            for (int i = 0; i < 10; i++) {
                client.read();
            }
            // From here on the client reads nothing: the shard must stop sending once the buffers are full.
            long[] sent = {-1};
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                long now = bytesSentByShard();
                boolean settled = now - sent[0] < STALLED_BYTES;
                sent[0] = now;
                return settled;
            });
            assertThat(sent[0] - before).as("bytes sent before the stall, of %d", total).isLessThan(total / 2);
            int rows = 0;
            RawMySQLClient.Packet packet;
            while (!(packet = client.read()).isEof()) {
                assertThat(packet.isErr()).isFalse();
                if (packet.payload()[0] == 0) {
                    rows++;
                }
            }
            assertThat(rows).as("rows after the first ten packets (count, 2 definitions, EOF, 6 rows)")
                    .isEqualTo(BIG_ROWS - 6);
            assertThat(nativeExecutions()).as(why("the native path answered")).isEqualTo(executions + 1);
        }
    }

    /** Bytes the shard's server has sent to all its clients. */
    private static long bytesSentByShard() throws SQLException {
        try (Connection c = fixture.cluster.group("g0").primary().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Bytes_sent'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    @Test
    void preparedReadsAreCountedAsSelectsOnBothPaths() throws Exception {
        long selects = statements("select");
        long before = nativeExecutions();
        executeRaw(fixture.proxy.port(), "/* counted */ SELECT vc FROM nb_types WHERE id >= ?", 0);
        assertThat(nativeExecutions()).as(why("the native path answered")).isEqualTo(before + 1);
        executeRaw(fixture.proxy.port(), "/* counted */ SELECT @marker, vc FROM nb_types WHERE id >= ?", 0);
        assertThat(nativeExecutions()).as(why("the user variable keeps the JDBC path")).isEqualTo(before + 1);

        // A statement is counted just after its last packet is sent, so the count may lag the client's read.
        await().atMost(Duration.ofSeconds(30)).until(() -> statements("select") >= selects + 2);
        assertThat(statements("select")).isEqualTo(selects + 2);
    }

    @Test
    void killQueryStopsANativeRead() throws Exception {
        assertKillQueryStopsANativeRead(serverPrepared());
    }

    @Test
    void killQueryStopsANativeTextRead() throws Exception {
        assertKillQueryStopsANativeRead(clientPrepared());
    }

    @Test
    void killQueryStopsANativeTextReadStartedFromTheEventLoop() throws Exception {
        // A statement of the shape planned before (no row with id 0: no sleep), so the next one starts from the event
        // loop, without the session's worker.
        try (Connection c = clientPrepared(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT SLEEP(id * 60) FROM nb_types WHERE id = 0").close();
        }
        assertKillQueryStopsANativeRead(clientPrepared(), "SELECT SLEEP(id * ?) FROM nb_types WHERE id = 1");
    }

    private static void assertKillQueryStopsANativeRead(Connection connection) throws Exception {
        assertKillQueryStopsANativeRead(connection, "SELECT SLEEP(?) FROM nb_types WHERE id = 1");
    }

    /** KILL QUERY of {@code sleepSql} (its one parameter 60 s) on {@code connection}, answered natively. */
    private static void assertKillQueryStopsANativeRead(Connection connection, String sleepSql) throws Exception {
        try (Connection victim = connection; Connection killer = serverPrepared();
             PreparedStatement sleep = victim.prepareStatement(sleepSql)) {
            long connectionId;
            try (Statement s = victim.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                connectionId = rs.getLong(1);
            }
            long before = nativeExecutions();
            sleep.setInt(1, 60);
            CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
                try (ResultSet rs = sleep.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                } catch (SQLException e) {
                    return e;
                }
            });
            try (Connection direct = fixture.cluster.group("g0").primary().connect()) {
                // The kill must find the statement running: wait until the backend shows it.
                long[] backendThread = {-1};
                await().atMost(Duration.ofSeconds(50)).pollInterval(Duration.ofMillis(50))
                        .until(() -> (backendThread[0] = sleepingThread(direct)) > 0);
                try (Statement s = killer.createStatement()) {
                    s.execute("KILL QUERY " + connectionId);
                }
                Object outcome = running.get();
                assertThat(outcome).isInstanceOf(SQLException.class);
                assertThat(((SQLException) outcome).getErrorCode()).isEqualTo(1317);
                assertThat(nativeExecutions()).as(why("the native path answered")).isEqualTo(before + 1);
                // A KILL may reach the server after the statement it was meant for ended; pooled, the connection
                // would then lose another client's next statement. The killed one is closed instead.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> !connected(direct, backendThread[0]));
            }
        }
    }

    /** The backend connection id of the running SLEEP, or -1. */
    private static long sleepingThread(Connection direct) throws SQLException {
        try (Statement s = direct.createStatement();
             ResultSet rs = s.executeQuery("SELECT ID FROM information_schema.PROCESSLIST"
                     + " WHERE INFO LIKE 'SELECT SLEEP(%'")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private static boolean connected(Connection direct, long backendThread) throws SQLException {
        try (Statement s = direct.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = "
                     + backendThread)) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    private static SQLException errorOf(Connection connection, String select) {
        try (connection; PreparedStatement ps = connection.prepareStatement(select)) {
            ps.setInt(1, 2);
            ps.executeQuery().close();
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("no error from " + select);
    }

    /** Connector/J through the proxy under test, with server-side prepared statements (COM_STMT_EXECUTE). */
    private static Connection serverPrepared() throws SQLException {
        return fixture.connect("app", "app", "shop", "useServerPrepStmts", "true");
    }

    /** Connector/J through the proxy under test, with client-side prepared statements (COM_QUERY). */
    private static Connection clientPrepared() throws SQLException {
        return fixture.connect("app", "app", "shop", "useServerPrepStmts", "false");
    }

    private static Connection jdbcProxy() throws SQLException {
        return jdbcProxy(true);
    }

    /** Connector/J through the proxy without the native path. */
    private static Connection jdbcProxy(boolean serverPrepared) throws SQLException {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", "app");
        props.setProperty("password", "app");
        props.setProperty("sslMode", "DISABLED");
        props.setProperty("useServerPrepStmts", String.valueOf(serverPrepared));
        return java.sql.DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + jdbcOnly.port() + "/shop", props);
    }

    private static List<String> readAll(Connection connection, String select) throws SQLException {
        try (connection; PreparedStatement ps = connection.prepareStatement(select)) {
            assertThat(connection.getMetaData().getURL()).isNotNull();
            ps.setInt(1, 0);
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= columns; i++) {
                        byte[] bytes = rs.getBytes(i);
                        row.append(rs.getMetaData().getColumnName(i)).append('=')
                                .append(bytes == null ? "null" : java.util.HexFormat.of().formatHex(bytes))
                                .append('/').append(rs.getString(i)).append(' ');
                    }
                    rows.add(row.toString());
                }
            }
            return rows;
        }
    }

    /** Prometheus' count of prepared reads the native path answered on the proxy under test. */
    private static long nativeExecutions() throws IOException, InterruptedException {
        return (long) metrics().value("shardwire_native_executions_total");
    }

    /**
     * An assertion's description that, when it fails, also says why reads missed the native path: the proxy's
     * non-zero fallback counts by reason, and its health of g0's primary.
     */
    private static Supplier<String> why(String what) {
        return () -> {
            StringBuilder counts = new StringBuilder();
            try {
                for (Metrics.Sample fallbacks : metrics().samples("shardwire_native_fallbacks_total")) {
                    long count = (long) fallbacks.value();
                    if (count > 0) {
                        counts.append(counts.isEmpty() ? "" : ", ").append(fallbacks.labels().get("reason")).append('=')
                                .append(count);
                    }
                }
            } catch (IOException | InterruptedException e) {
                counts.append("unknown: ").append(e);
            }
            return what + " (native fallbacks since start: " + (counts.isEmpty() ? "none" : counts) + "; g0's primary: "
                    + fixture.proxy.health().primaryHealth("g0") + ")";
        };
    }

    /** Prometheus' count of statements of this type on the proxy under test. */
    private static long statements(String type) throws IOException, InterruptedException {
        return (long) metrics().value("shardwire_statements_total", "type", type);
    }

    private static Metrics metrics() throws IOException, InterruptedException {
        return Metrics.read(fixture.proxy.httpPort());
    }

    private static List<RawMySQLClient.Packet> executeRaw(int port, String sql, long parameter) throws IOException {
        try (RawMySQLClient client = RawMySQLClient.login(port, "app", "app", "shop")) {
            return executeWith(client, sql, parameter);
        }
    }

    private static List<RawMySQLClient.Packet> executeRawDirect(String sql, long parameter) throws IOException {
        try (RawMySQLClient client = directClient()) {
            return executeWith(client, sql, parameter);
        }
    }

    /** A client of g0's primary itself, set up as the proxy's backend connections: results in each column's charset. */
    /** A client of g0's primary, logged in as the proxy's clients are (utf8mb4): results converted to utf8mb4. */
    private static RawMySQLClient directClient() throws IOException {
        return RawMySQLClient.login(fixture.cluster.group("g0").primary().port(), fixture.cluster.spec().user(),
                fixture.cluster.spec().password(), "shop");
    }

    private static List<RawMySQLClient.Packet> queryRaw(int port, String sql) throws IOException {
        try (RawMySQLClient client = RawMySQLClient.login(port, "app", "app", "shop")) {
            return queryWith(client, sql);
        }
    }

    /** COM_QUERY of a SELECT: every packet of its answer (count, definitions, EOF, text rows, EOF). */
    private static List<RawMySQLClient.Packet> queryWith(RawMySQLClient client, String sql) throws IOException {
        return queryWith(client, sql.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #queryWith(RawMySQLClient, String)} of a statement in the client's charset. */
    private static List<RawMySQLClient.Packet> queryWith(RawMySQLClient client, byte[] sql) throws IOException {
        client.send(0x03, sql);
        List<RawMySQLClient.Packet> packets = new ArrayList<>();
        RawMySQLClient.Packet first = client.read();
        packets.add(first);
        assertThat(first.isErr()).as("query answered %s", first).isFalse();
        packets.addAll(client.readUntilEnd());
        RawMySQLClient.Packet row;
        do {
            row = client.read();
            packets.add(row);
        } while (!row.isEof() && !row.isErr());
        return packets;
    }

    /** Runs each SET, expecting OK. */
    private static void setAll(RawMySQLClient client, List<String> sets) throws IOException {
        for (String set : sets) {
            client.send(0x03, set.getBytes(StandardCharsets.UTF_8));
            RawMySQLClient.Packet ok = client.read();
            assertThat(ok.isOk()).as("%s answered %s", set, ok).isTrue();
        }
    }

    /** The native backend connections the proxy under test holds open. */
    private static long nativeConnections() throws IOException, InterruptedException {
        return (long) metrics().value("shardwire_native_connections");
    }

    private static String scalar(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static List<RawMySQLClient.Packet> executeWith(RawMySQLClient client, String sql, long parameter)
            throws IOException {
        long statement = prepare(client, sql);
        client.send(0x17, executeBody(statement, parameter));
        List<RawMySQLClient.Packet> packets = new ArrayList<>();
        RawMySQLClient.Packet first = client.read();
        packets.add(first);
        assertThat(first.isErr()).as("execute answered %s", first).isFalse();
        packets.addAll(client.readUntilEnd()); // definitions and their EOF
        RawMySQLClient.Packet row;
        do { // rows (a binary row starts with 0x00, as an OK would) and the final EOF
            row = client.read();
            packets.add(row);
        } while (!row.isEof() && !row.isErr());
        return packets;
    }

    /** COM_STMT_PREPARE; reads the whole answer and returns the statement id. */
    private static long prepare(RawMySQLClient client, String sql) throws IOException {
        client.send(0x16, sql.getBytes(StandardCharsets.UTF_8));
        RawMySQLClient.Packet ok = client.read();
        assertThat(ok.isErr()).as("prepare answered %s", ok).isFalse();
        byte[] p = ok.payload();
        long id = (p[1] & 0xFFL) | (p[2] & 0xFFL) << 8 | (p[3] & 0xFFL) << 16 | (p[4] & 0xFFL) << 24;
        int columns = (p[5] & 0xFF) | (p[6] & 0xFF) << 8;
        int parameters = (p[7] & 0xFF) | (p[8] & 0xFF) << 8;
        int more = parameters + (parameters > 0 ? 1 : 0) + columns + (columns > 0 ? 1 : 0);
        for (int i = 0; i < more; i++) {
            client.read();
        }
        return id;
    }

    /** COM_STMT_EXECUTE's body after the command byte: one LONGLONG parameter. */
    private static byte[] executeBody(long statement, long parameter) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        RawMySQLClient.writeInt4(body, (int) statement);
        body.write(0);
        RawMySQLClient.writeInt4(body, 1);
        body.write(0);
        body.write(1);
        body.write(0x08);
        body.write(0);
        RawMySQLClient.writeInt4(body, (int) parameter);
        RawMySQLClient.writeInt4(body, (int) (parameter >>> 32));
        return body.toByteArray();
    }

    private static List<String> payloads(List<RawMySQLClient.Packet> packets) {
        return packets.stream().map(p -> java.util.HexFormat.of().formatHex(p.payload())).toList();
    }

    private static List<Integer> sequenceIds(List<RawMySQLClient.Packet> packets) {
        return packets.stream().map(RawMySQLClient.Packet::sequenceId).toList();
    }
}
