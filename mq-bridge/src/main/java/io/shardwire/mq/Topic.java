package io.shardwire.mq;

import io.shardwire.mq.log.LogConfig;
import io.shardwire.mq.log.PartitionLog;
import io.shardwire.mq.log.SourcePosition;
import io.shardwire.mq.log.TopicPartition;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A named set of partitions, each a {@link PartitionLog}. Order holds within a partition only; records with the same
 * key keep their order when they go to the same partition, which {@link #partitionFor} ensures.
 *
 * <p><b>Invariant:</b> the partition count never changes: {@link #partitionFor} must keep sending a key where it sent
 * it before. <b>Thread-safety:</b> thread-safe, as its partition logs are.
 */
public final class Topic implements Closeable {

    private final String name;
    private final List<PartitionLog> partitions;

    private Topic(String name, List<PartitionLog> partitions) {
        this.name = name;
        this.partitions = List.copyOf(partitions);
    }

    /**
     * Opens (creating as needed) the logs of a topic's partitions.
     *
     * @param dataDir        the store's data directory
     * @param name           the topic
     * @param partitionCount how many partitions, &gt; 0
     * @param config         the settings of each partition log
     * @return the topic
     * @throws IOException if a partition log cannot be opened
     */
    static Topic open(Path dataDir, String name, int partitionCount, LogConfig config) throws IOException {
        TopicPartition.checkTopicName(name);
        if (partitionCount <= 0) {
            throw new IllegalArgumentException("partitions: " + partitionCount + " (expected: > 0)");
        }
        List<PartitionLog> logs = new ArrayList<>();
        try {
            for (int p = 0; p < partitionCount; p++) {
                logs.add(PartitionLog.open(dataDir, new TopicPartition(name, p), config));
            }
        } catch (IOException | RuntimeException e) {
            for (PartitionLog log : logs) {
                try {
                    log.close();
                } catch (IOException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            throw e;
        }
        return new Topic(name, logs);
    }

    /** @return the topic's name */
    public String name() {
        return name;
    }

    /** @return the number of partitions */
    public int partitionCount() {
        return partitions.size();
    }

    /**
     * @param partition a partition number
     * @return its log
     * @throws IllegalArgumentException if the topic has no such partition
     */
    public PartitionLog partition(int partition) {
        if (partition < 0 || partition >= partitions.size()) {
            throw new IllegalArgumentException("partition: " + partition + " (expected: 0 to "
                    + (partitions.size() - 1) + " for topic " + name + ")");
        }
        return partitions.get(partition);
    }

    /** @return the partition logs, by partition number */
    public List<PartitionLog> partitions() {
        return partitions;
    }

    /**
     * The partition for a key: CRC32C of the key bytes modulo the partition count. Stable across releases and JVMs;
     * changing it would split a key's records over two partitions and break their order.
     *
     * @param key the key, not null
     * @return the partition number
     */
    public int partitionFor(byte[] key) {
        if (key == null) {
            throw new IllegalArgumentException("key: null (expected: a key; choose the partition yourself for"
                    + " records without one)");
        }
        CRC32C crc = new CRC32C();
        crc.update(key);
        return (int) (crc.getValue() % partitions.size());
    }

    /**
     * A producer's resume position over the whole topic: the highest sequence it stored in any partition. A producer
     * that waits for each append to return before the next stored everything up to that position.
     *
     * @param producerId the producer
     * @return its highest stored position, or empty if it stored nothing in this topic
     */
    public Optional<SourcePosition> lastPosition(String producerId) {
        return partitions.stream()
                .flatMap(log -> log.lastPosition(producerId).stream())
                .max(Comparator.naturalOrder());
    }

    /** @return the bytes of all the topic's segment log files */
    public long sizeInBytes() {
        long size = 0;
        for (PartitionLog log : partitions) {
            size += log.sizeInBytes();
        }
        return size;
    }

    /**
     * Closes every partition log, even if some fail.
     *
     * @throws IOException the first failure, with the others suppressed
     */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (PartitionLog log : partitions) {
            try {
                log.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "topic " + name + " (" + partitions.size() + " partitions)";
    }
}
