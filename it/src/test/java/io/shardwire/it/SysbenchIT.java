package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * sysbench {@code oltp_read_write} through the proxy on {@code sbtest} tables sharded by id over 2 shard groups, with
 * {@code --db-ps-mode=auto} (server-side prepared statements) and {@code disable} (text): zero errors, and afterwards
 * each table's row count and sums through the proxy equal the sums over the shards read directly. Each run lasts
 * {@code -Dsysbench.time} seconds (default 30), with 4 threads and sysbench's own transactions: each touches random
 * ids on both shard groups, so every one is a transaction over two groups, committed atomically by XA. The tables
 * have 50,000 rows each so that 4 threads rarely collide: a deadlock between two of them is possible here as on one
 * server (sysbench would count it as an ignored error and retry), and none is expected; at sysbench's default of
 * 10,000 rows one showed up in a run on a loaded machine.
 */
class SysbenchIT {

    private static final int TABLES = 2;
    private static final int ROWS = 50_000;
    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        StringBuilder schema = new StringBuilder("  - name: sbtest\n    defaultShardGroup: g0\n"
                + "    dataNodes: {sbtest_0: g0, sbtest_1: g1}\n    tables:\n");
        for (int i = 1; i <= TABLES; i++) {
            schema.append("      sbtest").append(i).append(": {kind: sharded, shardKey: id, algorithm: {type: mod},"
                    + " buckets: 2}\n");
        }
        fixture = ProxyFixture.start("sysbench", 2, ServerConfig.AuthPlugin.MYSQL_NATIVE_PASSWORD, "",
                schema.toString());
        try (Connection c = fixture.connect("app", "app", "shop"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS sbtest");
            for (int i = 1; i <= TABLES; i++) {
                s.execute("DROP TABLE IF EXISTS sbtest.sbtest" + i);
            }
        }
        sysbench("oltp_common", "auto", "prepare");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @ParameterizedTest(name = "--db-ps-mode={0}")
    @ValueSource(strings = {"auto", "disable"})
    void oltpReadWriteRunsWithoutErrorsAndLeavesConsistentTables(String psMode) throws Exception {
        String output = sysbench("oltp_read_write", psMode, "run");
        System.out.printf("sysbench oltp_read_write --db-ps-mode=%s:%n%s%n", psMode, output);
        assertThat(output).doesNotContain("FATAL").contains("ignored errors:                      0 ");
        assertThat(output).containsPattern("transactions:\\s+[1-9]");
        for (int i = 1; i <= TABLES; i++) {
            String check = "SELECT COUNT(*), SUM(id), SUM(k), SUM(CRC32(c)) FROM sbtest" + i;
            List<Long> viaProxy;
            try (Connection c = fixture.connect("app", "app", "sbtest")) {
                viaProxy = row(c, check);
            }
            List<Long> overShards = new ArrayList<>(List.of(0L, 0L, 0L, 0L));
            for (int g = 0; g < 2; g++) {
                try (Connection direct = fixture.cluster.group("g" + g).primary().connect()) {
                    direct.setCatalog("sbtest_" + g);
                    List<Long> shard = row(direct, check);
                    for (int v = 0; v < 4; v++) {
                        overShards.set(v, overShards.get(v) + shard.get(v));
                    }
                }
            }
            assertThat(viaProxy).as("sbtest%d through the proxy vs over the shards", i).isEqualTo(overShards);
            // oltp_read_write deletes and re-inserts the same ids: every table keeps its rows.
            assertThat(viaProxy.subList(0, 2)).containsExactly((long) ROWS, (long) ROWS * (ROWS + 1) / 2);
        }
    }

    private static List<Long> row(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            List<Long> values = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(rs.getLong(i));
            }
            return values;
        }
    }

    private static String sysbench(String test, String psMode, String command) throws Exception {
        List<String> args = List.of("sysbench", test, "--db-driver=mysql", "--mysql-host=127.0.0.1",
                "--mysql-port=" + fixture.proxy.port(), "--mysql-user=app", "--mysql-password=app",
                "--mysql-db=sbtest", "--mysql-ssl=off", "--tables=" + TABLES, "--table-size=" + ROWS,
                "--auto_inc=off", "--threads=" + (command.equals("run") ? 4 : 2), "--db-ps-mode=" + psMode,
                "--time=" + Integer.getInteger("sysbench.time", 30), command);
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        long limit = Integer.getInteger("sysbench.time", 30) + 180;
        if (!process.waitFor(limit, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("sysbench did not finish in " + limit + " s: " + args);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("sysbench %s %s exit code; output:%n%s", test, command, output).isZero();
        return output;
    }
}
