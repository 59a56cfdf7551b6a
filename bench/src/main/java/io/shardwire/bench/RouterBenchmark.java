package io.shardwire.bench;

import io.shardwire.router.plan.ExecutionPlan;
import io.shardwire.router.plan.PreparedPlan;
import io.shardwire.router.plan.QueryPlanner;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
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
 * Parse + route + rewrite: a COM_QUERY point select (planned from its text every time, or bound to the kept plan of
 * its shape as the proxy plans text statements, with the id as a number or quoted), the execute of a prepared point select (planned once, bound per
 * execute), a scatter range read with ORDER BY and LIMIT as sysbench's oltp_read_only sends it, and the execute of
 * oltp_write_only's prepared index update.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouterBenchmark {

    private QueryPlanner planner;
    private PreparedPlan preparedPointSelect;
    private PreparedPlan preparedOrderedRange;
    private PreparedPlan preparedIndexUpdate;

    @Setup
    public void setUp() throws Exception {
        planner = new QueryPlanner(SbtestConfig.CONFIG);
        preparedPointSelect = planner.plan("SELECT c FROM sbtest1 WHERE id=?", "sbtest");
        preparedOrderedRange = planner.plan("SELECT c FROM sbtest1 WHERE id BETWEEN ? AND ? ORDER BY c", "sbtest");
        preparedIndexUpdate = planner.plan("UPDATE sbtest1 SET k=k+1 WHERE id=?", "sbtest");
    }

    @Benchmark
    public ExecutionPlan pointSelectText() throws Exception {
        long id = ThreadLocalRandom.current().nextLong(1, 100_000);
        return planner.plan("SELECT c FROM sbtest1 WHERE id=" + id, "sbtest").bind();
    }

    /** The proxy's way with a text statement: its shape's kept plan bound to its value (router.textPlanCacheSize). */
    @Benchmark
    public ExecutionPlan pointSelectTextKeptPlan() throws Exception {
        long id = ThreadLocalRandom.current().nextLong(1, 100_000);
        return planner.planText("SELECT c FROM sbtest1 WHERE id=" + id, "sbtest");
    }

    /** As a client that quotes every value sends it (PHP's PDO with emulated prepares): the id as a string. */
    @Benchmark
    public ExecutionPlan pointSelectQuotedTextKeptPlan() throws Exception {
        long id = ThreadLocalRandom.current().nextLong(1, 100_000);
        return planner.planText("SELECT c FROM sbtest1 WHERE id='" + id + "'", "sbtest");
    }

    @Benchmark
    public ExecutionPlan pointSelectPreparedExecute() throws Exception {
        return preparedPointSelect.bind(List.of(ThreadLocalRandom.current().nextLong(1, 100_000)));
    }

    @Benchmark
    public ExecutionPlan rangeOrderByLimitText() throws Exception {
        long id = ThreadLocalRandom.current().nextLong(1, 100_000);
        return planner.plan("SELECT c FROM sbtest1 WHERE id BETWEEN " + id + " AND " + (id + 99)
                + " ORDER BY c LIMIT 10", "sbtest").bind();
    }

    /** oltp_read_only's order_ranges, prepared: each execute binds a range over both data nodes. */
    @Benchmark
    public ExecutionPlan rangeOrderByPreparedExecute() throws Exception {
        long id = ThreadLocalRandom.current().nextLong(1, 100_000);
        return preparedOrderedRange.bind(List.of(id, id + 99));
    }

    /** oltp_write_only's index_updates, prepared: each execute binds to the data node of its id. */
    @Benchmark
    public ExecutionPlan indexUpdatePreparedExecute() throws Exception {
        return preparedIndexUpdate.bind(List.of(ThreadLocalRandom.current().nextLong(1, 100_000)));
    }
}
