package io.shardwire.mq.bench;

import io.shardwire.mq.bridge.kafka.InProcessKafka;
import io.shardwire.mq.log.FsyncPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The queue bench ({@code bench/queue-bench.sh}): append and consume throughput of the Shardwire queue beside an
 * in-process Kafka broker in the same JVM and run, same records, 1 and 4 partitions; then the backlog case: the append
 * rate on an empty log against the rate with a backlog of {@code --backlog} records, and a consumer draining them.
 * Prints Markdown.
 *
 * <p>Options: {@code --dir D} (required, emptied first), {@code --records N} (500000), {@code --value-bytes B} (400),
 * {@code --batch R} (100 records per Shardwire append), {@code --backlog M} (10000000), {@code --backlog-value-bytes}
 * (100), {@code --backlog-batch} (1000 records per append), {@code --window W} (1000000 records timed on the empty
 * and on the full log).
 */
public final class QueueBench {

    static final int KEY_BYTES = 16;

    private QueueBench() {
    }

    /** A 16-byte key: one of 10,000 rows. */
    static byte[] key(long i) {
        return String.format("row-%012d", i % 10_000).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param args the options
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(option(args, "--dir", null));
        long records = Long.parseLong(option(args, "--records", "500000"));
        int valueBytes = Integer.parseInt(option(args, "--value-bytes", "400"));
        int batch = Integer.parseInt(option(args, "--batch", "100"));
        long backlog = Long.parseLong(option(args, "--backlog", "10000000"));
        int backlogValueBytes = Integer.parseInt(option(args, "--backlog-value-bytes", "100"));
        int backlogBatch = Integer.parseInt(option(args, "--backlog-batch", "1000"));
        long window = Long.parseLong(option(args, "--window", "1000000"));
        if (Files.exists(dir)) {
            throw new IllegalArgumentException("--dir " + dir + " exists; give a new directory");
        }
        byte[] value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'v');

        System.out.printf("Records: %,d of %d-byte key + %d-byte value; Shardwire appends %d records per batch;"
                + " Kafka: one idempotent producer, acks=all, default batching (linger.ms=5); both in this JVM%n%n",
                records, KEY_BYTES, valueBytes, batch);
        System.out.println("| run | records/s | MB/s | p99 append ms |");
        System.out.println("|---|---:|---:|---:|");
        try (InProcessKafka kafka = InProcessKafka.start(dir.resolve("kafka"))) {
            warmUp(dir, kafka, value, batch);
            for (int partitions : new int[] {1, 4}) {
                for (FsyncPolicy fsync : new FsyncPolicy[] {FsyncPolicy.BATCH, FsyncPolicy.NEVER}) {
                    String name = "Shardwire, " + partitions + " partition" + (partitions > 1 ? "s" : "")
                            + ", fsync " + fsync.name().toLowerCase();
                    try (ShardwireQueueRun run = new ShardwireQueueRun(dir.resolve("sw-" + partitions + "-" + fsync),
                            fsync, "bench", partitions)) {
                        System.out.println(run.append(records, batch, value).row(name + ": append"));
                        System.out.println(run.drain(0).row(name + ": consume"));
                    }
                }
                KafkaRun run = new KafkaRun(kafka.bootstrapServers(), "bench-" + partitions, partitions);
                String name = "Kafka, " + partitions + " partition" + (partitions > 1 ? "s" : "") + ", acks=all";
                System.out.println(run.append(records, value).row(name + ": produce (p99 = send to ack, per record)"));
                System.out.println(run.drain().row(name + ": consume"));
            }
        }
        backlog(dir.resolve("backlog"), backlog, window, backlogValueBytes, backlogBatch);
    }

    private static void warmUp(Path dir, InProcessKafka kafka, byte[] value, int batch) throws Exception {
        try (ShardwireQueueRun run = new ShardwireQueueRun(dir.resolve("warm-up"), FsyncPolicy.BATCH, "warm", 1)) {
            run.append(100_000, batch, value);
            run.drain(0);
        }
        KafkaRun run = new KafkaRun(kafka.bootstrapServers(), "warm-up", 1);
        run.append(100_000, value);
        run.drain();
    }

    private static void backlog(Path dir, long backlog, long window, int valueBytes, int batch) throws Exception {
        byte[] value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'b');
        try (ShardwireQueueRun run = new ShardwireQueueRun(dir, FsyncPolicy.BATCH, "backlog", 1)) {
            Throughput empty = run.append(window, batch, value);
            Throughput fill = run.append(backlog - window, batch, value);
            Throughput full = run.append(window, batch, value);
            long total = backlog + window;
            Throughput drain = run.drain(0);
            System.out.printf("%nBacklog: Shardwire, 1 partition, fsync batch, %d-byte key + %d-byte value,"
                    + " %d records per append; %,d records on disk take %,d bytes%n%n", KEY_BYTES, valueBytes, batch,
                    total, run.usedBytes());
            System.out.println("| run | records/s | MB/s | p99 append ms |");
            System.out.println("|---|---:|---:|---:|");
            System.out.println(empty.row("append " + String.format("%,d", window) + " to an empty log"));
            System.out.println(fill.row("append the next " + String.format("%,d", backlog - window)));
            System.out.println(full.row("append " + String.format("%,d", window) + " onto a "
                    + String.format("%,d", backlog) + "-record backlog"));
            System.out.println(drain.row("a consumer drains all " + String.format("%,d", total)));
            System.out.printf("%nAppend rate with the backlog / on the empty log: %.1f%%%n",
                    100.0 * full.recordsPerSecond() / empty.recordsPerSecond());
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        if (fallback == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return fallback;
    }
}
