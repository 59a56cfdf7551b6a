package io.shardwire.config;

import java.nio.file.Path;

/**
 * The internal durable queue that CDC appends to.
 *
 * @param dataDir        where topic partitions keep their segment files
 * @param segmentBytes   size at which a segment is rolled
 * @param fsync          when appends are forced to disk (the loss window)
 * @param fsyncIntervalMs period for {@link Fsync#INTERVAL}
 * @param retentionHours segments older than this are deleted whole; -1 keeps them forever
 * @param retentionBytes partitions larger than this lose their oldest segments; -1 means no limit
 * @param diskQuotaBytes when all segments take this much, appends wait for retention to free space; -1 means no quota
 * @param bridges        the bridges that forward the change topic to outside brokers
 */
public record QueueConfig(
        Path dataDir,
        long segmentBytes,
        Fsync fsync,
        long fsyncIntervalMs,
        long retentionHours,
        long retentionBytes,
        long diskQuotaBytes,
        BridgesConfig bridges) {

    /**
     * A queue without disk quota or bridges.
     *
     * @param dataDir         where topic partitions keep their segment files
     * @param segmentBytes    size at which a segment is rolled
     * @param fsync           when appends are forced to disk
     * @param fsyncIntervalMs period for {@link Fsync#INTERVAL}
     * @param retentionHours  retention by age; -1 keeps forever
     * @param retentionBytes  retention by size per partition; -1 means no limit
     */
    public QueueConfig(Path dataDir, long segmentBytes, Fsync fsync, long fsyncIntervalMs, long retentionHours,
            long retentionBytes) {
        this(dataDir, segmentBytes, fsync, fsyncIntervalMs, retentionHours, retentionBytes, -1, BridgesConfig.NONE);
    }

    /** When the queue forces appended data to disk. */
    public enum Fsync {
        /** Every appended batch, with group commit: nothing acknowledged is lost. */
        BATCH,
        /** Every {@code fsyncIntervalMs}: up to that much acknowledged data can be lost in a machine crash. */
        INTERVAL,
        /** Left to the OS: acknowledged data can be lost in a machine crash. */
        NEVER
    }
}
