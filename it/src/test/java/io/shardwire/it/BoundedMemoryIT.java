package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.embedded.EmbeddedGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A SELECT of far more rows than the proxy's heap could hold, over both shard groups, through a proxy
 * in a child JVM with a small {@code -Xmx}: a plain scatter (Connector/J streaming) and an ORDER BY
 * merged across the groups (MariaDB Connector/J with a fetch size) return every row, with the count
 * and checksum the shards report themselves, and the proxy neither runs out of memory nor dies; a
 * client that stops reading stalls the shards' sending rather than the proxy buffering the result.
 * The proxy's heap is measured from its GC log: the peak is the most used before any collection.
 *
 * <p>{@value #ROWS_PROPERTY} rows (default 1,000,000) and {@value #HEAP_PROPERTY} (default 64m);
 * {@code -Pbig-read} runs the 5,000,000 rows under {@code -Xmx256m}.
 */
class BoundedMemoryIT {

    static final String ROWS_PROPERTY = "shardwire.bigread.rows";
    static final String HEAP_PROPERTY = "shardwire.bigread.xmx";

    private static final int PAD = 150;
    /** Bytes the shards may send in a probe interval while a read is stalled (heartbeats, the probes). */
    private static final long STALLED_BYTES = 256 * 1024;
    private static final Pattern GC_PAUSE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    private static long rows;
    private static String heap;
    private static EmbeddedCluster cluster;
    private static ProxyProcess proxy;
    private static Path gcLog;
    private static Checksum shards;

    @BeforeAll
    static void start() throws Exception {
        rows = Long.getLong(ROWS_PROPERTY, 1_000_000);
        heap = System.getProperty(HEAP_PROPERTY, "64m");
        Path dir = Path.of("target", "it-data", "bounded-memory").toAbsolutePath();
        cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("mariadb"), 2, 0));
        ProxyFixture.dropSchemaDatabases(cluster);
        try (Connection c = cluster.group("g0").primary().connect()) {
            c.createStatement().execute("CREATE DATABASE shop");
        }
        proxy = new ProxyProcess(dir.resolve("proxy"), cluster, false);
        gcLog = proxy.dataDir.resolve("gc.log");
        Files.deleteIfExists(gcLog);
        proxy.start(null, List.of("-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + gcLog));
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS shop");
            s.execute("CREATE TABLE customers (id BIGINT PRIMARY KEY, pad VARCHAR(" + PAD + ") NOT NULL)");
        }
        long started = System.nanoTime();
        fill();
        System.out.printf(Locale.ROOT, "BoundedMemoryIT: %,d rows written to the shards in %.1f s%n", rows,
                (System.nanoTime() - started) / 1e9);
        shards = shardsOwnChecksum();
        assertThat(shards.rows).isEqualTo(rows);
        // Buffering the result anywhere in the proxy would need more than its whole heap.
        assertThat(shards.bytes).as("bytes of the result against -Xmx%s", heap).isGreaterThan(2 * heapBytes());
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aScatterSelectStreamsEveryRowThroughASmallHeap() throws Exception {
        long gcFrom = Files.size(gcLog);
        long started = System.nanoTime();
        Checksum read = new Checksum();
        try (Connection c = proxy.app();
             Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            s.setFetchSize(Integer.MIN_VALUE);
            try (ResultSet rs = s.executeQuery("SELECT id, pad FROM customers")) {
                while (rs.next()) {
                    read.add(rs.getLong(1), rs.getBytes(2));
                }
            }
        }
        assertThat(read).isEqualTo(shards);
        report("scatter (Connector/J, fetch size MIN_VALUE)", started, gcFrom);
    }

    @Test
    void anOrderByAcrossGroupsStreamMergesEveryRowThroughASmallHeap() throws Exception {
        long gcFrom = Files.size(gcLog);
        long started = System.nanoTime();
        Checksum read = new Checksum();
        long previous = Long.MIN_VALUE;
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + proxy.port + "/shop", "app", "app");
             Statement s = c.createStatement()) {
            s.setFetchSize(1_000);
            try (ResultSet rs = s.executeQuery("SELECT id, pad FROM customers ORDER BY id")) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    assertThat(id).as("ids in order after %d rows", read.rows).isGreaterThan(previous);
                    previous = id;
                    read.add(id, rs.getBytes(2));
                }
            }
        }
        assertThat(read).isEqualTo(shards);
        report("ORDER BY id stream merge (MariaDB Connector/J, fetch size 1000)", started, gcFrom);
    }

    /**
     * A client that stops reading mid-result (its socket's receive window fills) stalls the proxy's
     * reads from the shards instead of making it buffer the rest: the bytes the shards send stop
     * growing, far short of the result, and every row still arrives once the client reads again.
     */
    @Test
    void aClientThatStopsReadingPausesTheShardsInsteadOfBufferingInTheProxy() throws Exception {
        Checksum read = new Checksum();
        long before = bytesSentByShards();
        try (Connection c = proxy.app();
             Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            s.setFetchSize(Integer.MIN_VALUE);
            try (ResultSet rs = s.executeQuery("SELECT id, pad FROM customers")) {
                for (int i = 0; i < 10 && rs.next(); i++) {
                    read.add(rs.getLong(1), rs.getBytes(2));
                }
                // Connector/J reads the socket only as rows are asked for: from here on nothing is read.
                // A flowing read sends megabytes a second; heartbeats and these probes, a few kilobytes.
                long[] sent = {-1};
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    long now = bytesSentByShards();
                    boolean settled = now - sent[0] < STALLED_BYTES;
                    sent[0] = now;
                    return settled;
                });
                Thread.sleep(3_000);
                assertThat(bytesSentByShards() - sent[0]).as("bytes the shards sent in 3 s while the client did not read")
                        .isLessThan(STALLED_BYTES);
                long stalledAfter = sent[0] - before;
                assertThat(stalledAfter).as("bytes sent before the stall, of %d", shards.bytes).isLessThan(shards.bytes / 2);
                System.out.printf(Locale.ROOT, "BoundedMemoryIT stalled client: the shards stopped after %,d KB of %,d MB%n",
                        stalledAfter >> 10, shards.bytes >> 20);
                while (rs.next()) {
                    read.add(rs.getLong(1), rs.getBytes(2));
                }
            }
        }
        assertThat(read).isEqualTo(shards);
        assertThat(proxy.log()).doesNotContain("OutOfMemoryError");
    }

    /** Bytes the shards' servers have sent to all their clients ({@code Bytes_sent}). */
    private static long bytesSentByShards() throws SQLException {
        long sent = 0;
        for (EmbeddedGroup group : cluster.groups()) {
            try (Connection c = group.primary().connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Bytes_sent'")) {
                rs.next();
                sent += rs.getLong(2);
            }
        }
        return sent;
    }

    /**
     * Rows go straight into every data node's physical table with the sequence engine, binlog off:
     * node k of n gets ids k, k + n, k + 2n ... (a full scan reads every node, so the placement
     * need not follow the hash), one writer per group.
     */
    private static void fill() throws Exception {
        List<String> tables = physicalTables();
        int nodes = tables.size();
        try (ExecutorService writers = Executors.newFixedThreadPool(cluster.groups().size())) {
            List<Future<?>> done = new ArrayList<>();
            int node = 0;
            for (EmbeddedGroup group : cluster.groups()) {
                List<String> own = tablesOn(group);
                int first = node;
                node += own.size();
                done.add(writers.submit(() -> {
                    try (Connection c = group.primary().connect(); Statement s = c.createStatement()) {
                        s.execute("SET SESSION sql_log_bin = 0");
                        for (int k = first; k < first + own.size(); k++) {
                            long count = rows / nodes + (k < rows % nodes ? 1 : 0);
                            String table = own.get(k - first);
                            String database = table.substring(0, table.indexOf('.'));
                            s.executeUpdate("INSERT INTO " + table + " (id, pad) SELECT seq * " + nodes + " + " + k
                                    + ", RPAD(MD5(seq * " + nodes + " + " + k + "), " + PAD + ", '.')"
                                    + " FROM " + database + ".seq_0_to_" + (count - 1));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : done) {
                writer.get();
            }
        }
    }

    private static List<String> physicalTables() throws SQLException {
        List<String> tables = new ArrayList<>();
        for (EmbeddedGroup group : cluster.groups()) {
            tables.addAll(tablesOn(group));
        }
        assertThat(tables).as("customers' physical tables on both groups").hasSizeGreaterThanOrEqualTo(2);
        return tables;
    }

    private static List<String> tablesOn(EmbeddedGroup group) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = group.primary().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_schema, table_name FROM information_schema.tables"
                     + " WHERE table_schema LIKE 'shop\\_%' AND table_name LIKE 'customers%' ORDER BY 1, 2")) {
            while (rs.next()) {
                tables.add(rs.getString(1) + "." + rs.getString(2));
            }
        }
        return tables;
    }

    /** What the shards hold, each physical table summed on its own server. */
    private static Checksum shardsOwnChecksum() throws SQLException {
        Checksum total = new Checksum();
        for (EmbeddedGroup group : cluster.groups()) {
            try (Connection c = group.primary().connect(); Statement s = c.createStatement()) {
                for (String table : tablesOn(group)) {
                    try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COALESCE(SUM(id), 0), COALESCE(SUM(CRC32(pad)), 0),"
                            + " COALESCE(SUM(LENGTH(id) + LENGTH(pad)), 0) FROM " + table)) {
                        rs.next();
                        total.rows += rs.getLong(1);
                        total.idSum += rs.getLong(2);
                        total.crcSum += rs.getLong(3);
                        total.bytes += rs.getLong(4);
                    }
                }
            }
        }
        return total;
    }

    /** Prints the read's figures; the proxy is alive and never ran out of memory. */
    private static void report(String read, long started, long gcFrom) throws Exception {
        double seconds = (System.nanoTime() - started) / 1e9;
        String log = proxy.log();
        assertThat(log).doesNotContain("OutOfMemoryError");
        String gc = Files.readString(gcLog).substring((int) gcFrom);
        long peak = 0;
        long liveAfter = 0;
        int collections = 0;
        Matcher m = GC_PAUSE.matcher(gc);
        while (m.find()) {
            collections++;
            peak = Math.max(peak, bytes(m.group(1), m.group(2)));
            liveAfter = Math.max(liveAfter, bytes(m.group(3), m.group(4)));
        }
        assertThat(collections).as("collections during the read (the heap was in use)").isPositive();
        System.out.printf(Locale.ROOT, "BoundedMemoryIT %s: %,d rows (%,d MB) in %.1f s (%,.0f rows/s), -Xmx%s,"
                        + " heap peak %d MB (most in use before a collection), at most %d MB in use after one, %d collections%n",
                read, rows, shards.bytes >> 20, seconds, rows / seconds, heap, peak >> 20, liveAfter >> 20, collections);
    }

    private static long heapBytes() {
        return bytes(heap.substring(0, heap.length() - 1), heap.substring(heap.length() - 1).toUpperCase(Locale.ROOT));
    }

    private static long bytes(String number, String unit) {
        long n = Long.parseLong(number);
        return switch (unit) {
            case "K" -> n << 10;
            case "M" -> n << 20;
            case "G" -> n << 30;
            default -> throw new IllegalArgumentException("unit " + unit);
        };
    }

    /** Count, sum of ids, sum of CRC32s of the pads (as MariaDB's CRC32) and bytes of the values. */
    private static final class Checksum {
        long rows;
        long idSum;
        long crcSum;
        long bytes;

        void add(long id, byte[] pad) {
            CRC32 crc = new CRC32();
            crc.update(pad);
            rows++;
            idSum += id;
            crcSum += crc.getValue();
            bytes += Long.toString(id).length() + pad.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Checksum c && c.rows == rows && c.idSum == idSum && c.crcSum == crcSum && c.bytes == bytes;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(rows ^ idSum ^ crcSum ^ bytes);
        }

        @Override
        public String toString() {
            return rows + " rows, id sum " + idSum + ", CRC32 sum " + crcSum + ", " + bytes + " bytes";
        }
    }
}
