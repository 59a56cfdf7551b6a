package io.shardwire.mq.bench;

import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.log.FsyncPolicy;
import io.shardwire.mq.log.LogConfig;
import io.shardwire.mq.log.LogRecord;
import io.shardwire.mq.log.Record;
import io.shardwire.mq.log.RecordBatch;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Appends to and drains the Shardwire queue in this JVM: one appender thread per partition. */
final class ShardwireQueueRun implements AutoCloseable {

    private final QueueStore store;
    private final String topic;
    private final int partitions;

    ShardwireQueueRun(Path dir, FsyncPolicy fsync, String topic, int partitions) throws Exception {
        this.store = QueueStore.open(new QueueSettings(dir, LogConfig.DEFAULT_SEGMENT_BYTES, fsync, 1000, -1, -1, -1,
                LogConfig.DEFAULT_INDEX_INTERVAL_BYTES, 0), Clock.systemUTC());
        this.topic = topic;
        this.partitions = partitions;
        store.createTopic(topic, partitions);
    }

    /** Appends {@code records} records (split evenly over the partitions) in batches of {@code batchSize}. */
    Throughput append(long records, int batchSize, byte[] value) throws Exception {
        long perPartition = records / partitions;
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            long[] partitionLatencies = new long[(int) ((perPartition + batchSize - 1) / batchSize)];
            latencies.add(partitionLatencies);
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    int call = 0;
                    for (long i = 0; i < perPartition; i += batchSize) {
                        List<Record> batch = new ArrayList<>(batchSize);
                        for (long j = i; j < Math.min(perPartition, i + batchSize); j++) {
                            batch.add(Record.of(System.currentTimeMillis(), QueueBench.key(j), value));
                        }
                        long t0 = System.nanoTime();
                        store.append(topic, partition, RecordBatch.of(batch));
                        partitionLatencies[call++] = System.nanoTime() - t0;
                    }
                } catch (Exception e) {
                    failure.set(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long nanos = System.nanoTime() - start;
        if (failure.get() != null) {
            throw failure.get();
        }
        long total = perPartition * partitions;
        return new Throughput(total, total * (QueueBench.KEY_BYTES + value.length), nanos,
                latencies.stream().flatMapToLong(Arrays::stream).toArray());
    }

    /** Reads every partition from {@code from} to its end, 1000 records per fetch. */
    Throughput drain(long from) throws Exception {
        long records = 0;
        long bytes = 0;
        long start = System.nanoTime();
        for (int p = 0; p < partitions; p++) {
            long offset = from;
            long end = store.latestOffset(topic, p);
            while (offset < end) {
                List<LogRecord> fetched = store.fetch(topic, p, offset, 1000, 4 << 20, Duration.ZERO);
                for (LogRecord record : fetched) {
                    bytes += record.key().length + record.value().length;
                }
                records += fetched.size();
                offset = fetched.getLast().offset() + 1;
            }
        }
        return new Throughput(records, bytes, System.nanoTime() - start, new long[0]);
    }

    long usedBytes() {
        return store.usedBytes();
    }

    @Override
    public void close() throws Exception {
        store.close();
    }
}
