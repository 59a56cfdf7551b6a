package io.shardwire.cdc.debezium;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.shardwire.cdc.CaptureOptions;
import io.shardwire.cdc.ChangeCaptures;
import io.shardwire.cdc.GroupSource;
import io.shardwire.cdc.SnapshotMode;
import io.shardwire.cdc.event.PhysicalToLogical;
import io.shardwire.cdc.source.ReplicationAccount;
import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.embedded.EmbeddedServer;
import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.log.LogRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The CDC benchmark ({@code bench/cdc-bench.sh}): row events per second from commit to a consumer, and
 * commit-to-consume latency percentiles, for the same write load on a real mariadbd, captured two ways in the same
 * run: raw (the capture's Debezium engine with the same properties, and a consumer that only reads each record) and
 * through the queue (Shardwire's capture appending to a {@link QueueStore}, and a consumer fetching from it and
 * parsing each event's JSON). Their ratio is what the queue costs.
 *
 * <p>Each row's {@code sent_ns} column is {@link System#nanoTime()} at its INSERT, which its transaction commits at
 * once; the consumer, in the same JVM, takes the difference when it sees the row.
 *
 * <p>Arguments (all optional): rows (default 40,000), writer threads (4), rows per transaction (10), rounds (1),
 * rate in rows per second over all writers (0, the default: as fast as they can, which measures throughput; a rate
 * the capture keeps up with measures latency without a backlog), replicas (0; with 1 or more the primary has that
 * many replicas and a third capture, "acked", waits for one of them before each append: what
 * {@link ReplicaAckGate} costs).
 */
public final class CdcBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "shardwire_cdc";
    private static final String PASSWORD = "bench";

    private CdcBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        int writers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int perTransaction = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int rate = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        int replicas = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        Path dir = Path.of("target", "cdc-bench").toAbsolutePath();
        System.out.printf("CDC bench: %,d rows, %d writer threads, %d rows per transaction, %d round(s), rate %s,"
                + " %d replica(s); Java %s, %d CPUs, load average %.1f at start%n", rows, writers, perTransaction,
                rounds, rate == 0 ? "unlimited" : rate + " rows/s", replicas,
                Runtime.version(), Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("mariadb"), 1, replicas))) {
            EmbeddedServer primary = cluster.group("g0").primary();
            List<GroupSource.Replica> acking = cluster.group("g0").replicas().stream()
                    .map(replica -> new GroupSource.Replica("127.0.0.1", replica.port())).toList();
            try (Connection admin = primary.connect()) {
                ReplicationAccount.ensure(admin, USER, PASSWORD, "%");
            }
            for (int round = 1; round <= rounds; round++) {
                Result raw = run(primary, List.of(), dir, "raw", rows, writers, perTransaction, rate);
                Result queued = run(primary, List.of(), dir, "queue", rows, writers, perTransaction, rate);
                System.out.printf("round %d  %-6s %,9.0f events/s  p50 %6.1f ms  p99 %7.1f ms%n", round, "raw",
                        raw.eventsPerSecond(), raw.p50Ms(), raw.p99Ms());
                System.out.printf("round %d  %-6s %,9.0f events/s  p50 %6.1f ms  p99 %7.1f ms%n", round, "queue",
                        queued.eventsPerSecond(), queued.p50Ms(), queued.p99Ms());
                System.out.printf("round %d  queue cost: %.1f%% of raw throughput%n", round,
                        100.0 * (raw.eventsPerSecond() - queued.eventsPerSecond()) / raw.eventsPerSecond());
                if (!acking.isEmpty()) {
                    Result acked = run(primary, acking, dir, "acked", rows, writers, perTransaction, rate);
                    System.out.printf("round %d  %-6s %,9.0f events/s  p50 %6.1f ms  p99 %7.1f ms%n", round, "acked",
                            acked.eventsPerSecond(), acked.p50Ms(), acked.p99Ms());
                    System.out.printf("round %d  replica ack cost: %.1f%% of queue throughput, p50 %+.1f ms%n",
                            round, 100.0 * (queued.eventsPerSecond() - acked.eventsPerSecond())
                                    / queued.eventsPerSecond(), acked.p50Ms() - queued.p50Ms());
                }
            }
        }
    }

    /**
     * One measurement on a database of its own: capture streaming, then the write load, then wait for every row.
     * The capture waits for one of {@code replicas} before each append (none: no wait).
     */
    private static Result run(EmbeddedServer primary, List<GroupSource.Replica> replicas, Path dir, String mode,
            int rows, int writers, int perTransaction, int rate) throws Exception {
        String database = "bench_" + mode + "_" + Long.toString(System.currentTimeMillis(), 36);
        try (Connection admin = primary.connect(); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + database);
            s.execute("CREATE TABLE " + database + ".rows_ (id INT PRIMARY KEY, sent_ns BIGINT NOT NULL,"
                    + " payload VARCHAR(64) NOT NULL)");
        }
        CaptureOptions options = CaptureOptions.defaults(USER, PASSWORD, 9100, dir.resolve(database + "-cdc"))
                .withDatabases(List.of(database)).withSnapshotMode(SnapshotMode.NO_DATA);
        GroupSource source = new GroupSource("g0", "127.0.0.1", primary.port(), replicas);
        long[] latencies = new long[rows];
        AtomicInteger seen = new AtomicInteger();
        LongConsumer onRow = sentNs -> {
            int index = seen.getAndIncrement();
            if (index < rows) {
                latencies[index] = System.nanoTime() - sentNs;
            }
        };
        long started;
        long finished;
        if (mode.equals("raw")) {
            try (RawCapture capture = RawCapture.start(source, options, dir.resolve(database + "-history.dat"),
                    onRow)) {
                started = System.nanoTime();
                write(primary, database, rows, writers, perTransaction, rate);
                finished = awaitAll(seen, rows);
            }
        } else {
            try (QueueStore queue = QueueStore.open(QueueSettings.defaults(dir.resolve(database + "-queue")),
                    Clock.systemUTC());
                 ChangeCaptures captures = ChangeCaptures.start(List.of(source), options, queue,
                         PhysicalToLogical.IDENTITY, Clock.systemUTC())) {
                captures.awaitStreaming(Duration.ofMinutes(2));
                ExecutorService consumer = Executors.newSingleThreadExecutor();
                Future<?> consuming = consumer.submit(() -> consume(queue, options.topic(), rows, onRow));
                started = System.nanoTime();
                write(primary, database, rows, writers, perTransaction, rate);
                finished = awaitAll(seen, rows);
                consuming.get(1, TimeUnit.MINUTES);
                consumer.shutdown();
            }
        }
        Arrays.sort(latencies);
        return new Result(rows / ((finished - started) / 1e9), latencies[rows / 2] / 1e6,
                latencies[(int) (rows * 0.99)] / 1e6);
    }

    private static Void consume(QueueStore queue, String topic, int rows, LongConsumer onRow) throws Exception {
        long next = 0;
        int consumed = 0;
        while (consumed < rows) {
            for (LogRecord record : queue.fetch(topic, 0, next, 10_000, 16 << 20, Duration.ofMillis(500))) {
                onRow.accept(JSON.readTree(record.value()).path("after").path("sent_ns").asLong());
                next = record.offset() + 1;
                consumed++;
            }
        }
        return null;
    }

    private static long awaitAll(AtomicInteger seen, int rows) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (seen.get() < rows) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + seen.get() + " of " + rows + " rows consumed in 10 min");
            }
            Thread.sleep(1);
        }
        return System.nanoTime();
    }

    private static void write(EmbeddedServer primary, String database, int rows, int writers, int perTransaction,
            int rate) throws Exception {
        // With a rate, each writer commits a transaction every interval, on a fixed schedule.
        long intervalNs = rate == 0 ? 0 : (long) (1e9 * perTransaction * writers / rate);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                try (Connection c = primary.connect();
                     PreparedStatement insert = c.prepareStatement("INSERT INTO " + database
                             + ".rows_ VALUES (?, ?, 'benchmark row payload')")) {
                    c.setAutoCommit(false);
                    int inTransaction = 0;
                    long due = System.nanoTime();
                    for (int id = writer; id < rows; id += writers) {
                        insert.setInt(1, id);
                        insert.setLong(2, System.nanoTime());
                        insert.executeUpdate();
                        if (++inTransaction == perTransaction) {
                            c.commit();
                            inTransaction = 0;
                            due += intervalNs;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            }
                        }
                    }
                    c.commit();
                }
                return null;
            }));
        }
        for (Future<?> each : done) {
            each.get();
        }
        pool.shutdown();
    }

    /** Throughput and latency of one run. */
    private record Result(double eventsPerSecond, double p50Ms, double p99Ms) {
    }

    /** The capture's Debezium engine, with the capture's properties, handing each row's {@code sent_ns} on. */
    private static final class RawCapture implements AutoCloseable {

        private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
        private final ExecutorService runner = Executors.newSingleThreadExecutor();

        private RawCapture(DebeziumEngine<RecordChangeEvent<SourceRecord>> engine) {
            this.engine = engine;
        }

        static RawCapture start(GroupSource source, CaptureOptions options, Path history, LongConsumer onRow)
                throws Exception {
            java.nio.file.Files.createDirectories(history.getParent());
            DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine
                    .create(ChangeEventFormat.of(Connect.class))
                    .using(EngineProperties.of(source, options.serverIdBase(), options, history, Optional.empty(),
                            false))
                    .notifying((records, committer) -> {
                        for (RecordChangeEvent<SourceRecord> record : records) {
                            if (record.record().value() instanceof Struct value && value.schema().field("op") != null
                                    && value.getStruct("after") != null) {
                                onRow.accept(value.getStruct("after").getInt64("sent_ns"));
                            }
                            committer.markProcessed(record);
                        }
                        committer.markBatchFinished();
                    })
                    .build();
            RawCapture capture = new RawCapture(engine);
            capture.runner.execute(engine);
            StreamingMetrics metrics = new StreamingMetrics(EngineProperties.topicPrefix(source));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!metrics.connected()) {
                if (System.nanoTime() > deadline) {
                    capture.close();
                    throw new IllegalStateException("raw engine not streaming after 2 minutes");
                }
                Thread.sleep(20);
            }
            return capture;
        }

        @Override
        public void close() throws Exception {
            engine.close();
            runner.shutdown();
            runner.awaitTermination(1, TimeUnit.MINUTES);
        }
    }
}
