package io.shardwire.bench;

import io.shardwire.router.merge.MergedResult;
import io.shardwire.router.merge.MySQLType;
import io.shardwire.router.merge.ResultColumn;
import io.shardwire.router.merge.ResultMerger;
import io.shardwire.router.merge.RowCursor;
import io.shardwire.router.plan.ExecutionPlan;
import io.shardwire.router.plan.QueryPlanner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The merges over 4 data nodes' sorted rows: the k-way ORDER BY stream merge, and the GROUP BY
 * memory merge with SUM and COUNT; sysbench-like 120-character ASCII strings under utf8mb4_general_ci.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MergeBenchmark {

    private static final int NODES = 4;
    private static final int UTF8MB4_GENERAL_CI = 45;

    @Param({"100", "10000"})
    int rowsPerNode;

    private ExecutionPlan orderBy;
    private ExecutionPlan groupBy;
    private List<ResultColumn> orderByColumns;
    private List<ResultColumn> groupByColumns;
    private byte[][][][] sortedNodes;
    private byte[][][][] groupedNodes;

    @Setup
    public void setUp() throws Exception {
        QueryPlanner planner = new QueryPlanner(SbtestConfig.CONFIG);
        orderBy = planner.plan("SELECT c FROM sbtest1 ORDER BY c", "sbtest").bind();
        groupBy = planner.plan("SELECT k, SUM(id), COUNT(*) FROM sbtest1 GROUP BY k ORDER BY k", "sbtest").bind();
        orderByColumns = List.of(new ResultColumn("c", MySQLType.STRING.id(), 0, 0, UTF8MB4_GENERAL_CI, 480));
        groupByColumns = List.of(
                new ResultColumn("k", MySQLType.LONG.id(), 0, 0, 63, 11),
                new ResultColumn("SUM(id)", MySQLType.NEWDECIMAL.id(), 0, 0, 63, 33),
                new ResultColumn("COUNT(*)", MySQLType.LONGLONG.id(), 0, 0, 63, 21));
        Random random = new Random(7);
        sortedNodes = new byte[NODES][][][];
        groupedNodes = new byte[NODES][][][];
        for (int n = 0; n < NODES; n++) {
            byte[][][] rows = new byte[rowsPerNode][][];
            for (int r = 0; r < rowsPerNode; r++) {
                rows[r] = new byte[][] {sysbenchString(random)};
            }
            Arrays.sort(rows, (a, b) -> Arrays.compareUnsigned(a[0], b[0]));
            sortedNodes[n] = rows;
            byte[][][] groups = new byte[rowsPerNode][][];
            for (int r = 0; r < rowsPerNode; r++) {
                groups[r] = new byte[][] {ascii(Integer.toString(r * 2 + n % 2)), ascii(Integer.toString(r * 7)), ascii("3")};
            }
            groupedNodes[n] = groups;
        }
    }

    @Benchmark
    public long orderByStreamMerge() {
        return drain(ResultMerger.merge(orderBy, orderByColumns, cursors(sortedNodes)));
    }

    @Benchmark
    public long groupByMerge() {
        return drain(ResultMerger.merge(groupBy, groupByColumns, cursors(groupedNodes)));
    }

    private static long drain(MergedResult merged) {
        long bytes = 0;
        while (merged.next()) {
            byte[] value = merged.value(0);
            bytes += value == null ? 0 : value.length;
        }
        return bytes;
    }

    private static List<RowCursor> cursors(byte[][][][] nodes) {
        List<RowCursor> cursors = new ArrayList<>(nodes.length);
        for (byte[][][] rows : nodes) {
            cursors.add(new RowCursor() {
                private int row = -1;

                @Override
                public boolean next() {
                    return ++row < rows.length;
                }

                @Override
                public byte[] value(int column) {
                    return rows[row][column];
                }
            });
        }
        return cursors;
    }

    /** sysbench's c column: 11 groups of 11 digits joined by '-'. */
    private static byte[] sysbenchString(Random random) {
        StringBuilder text = new StringBuilder(120);
        for (int group = 0; group < 11; group++) {
            if (group > 0) {
                text.append('-');
            }
            for (int digit = 0; digit < 11; digit++) {
                text.append((char) ('0' + random.nextInt(10)));
            }
        }
        return ascii(text.toString());
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
