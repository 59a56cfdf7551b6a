package io.shardwire.bench;

import io.shardwire.proxy.xa.DecisionLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The decision log of cross-group commits under 16 committing sessions (as under sysbench's 16
 * threads): each commit appends its decision and waits until it is forced to disk, then resolves
 * it. With the forces shared (group commit), throughput grows with the sessions waiting at once
 * instead of staying at one fsync per commit. The log lives in the working directory's
 * {@code target/}, on the disk the proxy's data dir would use, not on a tmpfs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(16)
public class DecisionLogBenchmark {

    private final AtomicLong ids = new AtomicLong();
    private Path dir;
    private DecisionLog log;

    @Setup
    public void open() throws IOException {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "decision-log-bench");
        log = DecisionLog.open(dir);
    }

    @TearDown
    public void close() throws IOException {
        log.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Benchmark
    public void commitAndResolve() throws IOException {
        String gtrid = "sw-bench-" + ids.incrementAndGet();
        log.commit(new DecisionLog.Decision(gtrid, "g0"));
        log.resolved(gtrid);
    }
}
