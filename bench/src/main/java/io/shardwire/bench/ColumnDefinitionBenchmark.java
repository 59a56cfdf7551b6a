package io.shardwire.bench;

import com.mysql.cj.MysqlType;
import com.mysql.cj.result.Field;
import com.mysql.cj.util.LazyString;
import io.shardwire.proxy.frontend.ColumnDefinitionCache;
import io.shardwire.router.rule.LogicalNames;
import io.shardwire.router.rule.ShardingRules;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The column definitions of a prepared point select's result ({@code SELECT c FROM sbtest1 WHERE id=?}):
 * Connector/J hands over new fields for every execute; built afresh each time, or taken from the
 * connection's cache of its last result's packets.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ColumnDefinitionBenchmark {

    /** Results, as many as fit a cache of the CPU: each op takes the next, as each execute gets its own fields. */
    private static final int RESULTS = 1024;

    private LogicalNames names;
    private ColumnDefinitionCache cache;
    private Field[][] results;
    private int next;

    @Setup
    public void setUp() {
        names = new LogicalNames(new ShardingRules(SbtestConfig.CONFIG));
        cache = new ColumnDefinitionCache(names);
        results = new Field[RESULTS][];
        for (int i = 0; i < RESULTS; i++) {
            results[i] = pointSelectFields();
        }
    }

    @Benchmark
    public Object built() {
        return new ColumnDefinitionCache(names).of(nextResult());
    }

    @Benchmark
    public Object cached() {
        return cache.of(nextResult());
    }

    private Field[] nextResult() {
        next = (next + 1) & (RESULTS - 1);
        return results[next];
    }

    /** What Connector/J reads for each execute: the column {@code c CHAR(120)} of a physical sbtest1. */
    private static Field[] pointSelectFields() {
        return new Field[] {new Field(new LazyString("sbtest_1"), new LazyString("sbtest1"), new LazyString("sbtest1"),
                new LazyString("c"), new LazyString("c"), 480, MysqlType.FIELD_TYPE_STRING, (short) 1, 0, 45,
                "utf8mb4", MysqlType.CHAR)};
    }
}
