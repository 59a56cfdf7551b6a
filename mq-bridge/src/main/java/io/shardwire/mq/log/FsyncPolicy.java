package io.shardwire.mq.log;

/**
 * When appended batches are forced to disk, and so what a crash of the machine (power loss, kernel panic) can lose.
 * A crash of the process alone loses nothing acknowledged under any policy: written data is in the OS page cache.
 * Whatever the policy, a segment is forced when it is rolled and when the log is closed, so only the active segment
 * is ever at risk, and recovery cuts whatever torn tail the crash left.
 */
public enum FsyncPolicy {

    /**
     * Every append is forced before it returns, and readers see a batch only once it is forced. Loss window: none;
     * an acknowledged batch survives a machine crash. Appenders that arrive while a force is running share the next
     * one (group commit), so the cost is one force per wave of concurrent appends, not per append.
     */
    BATCH,

    /**
     * The active segment is forced every {@code fsyncIntervalMs} by a background flusher (the
     * {@link io.shardwire.mq.QueueStore} runs it; a log used on its own relies on its owner calling
     * {@link PartitionLog#flush}); appends return and become readable as soon as they are written. Loss window: up
     * to that interval of acknowledged batches on a machine crash.
     */
    INTERVAL,

    /**
     * Forcing is left to the OS (Linux writes dirty pages back within about 30 s); appends return and become
     * readable as soon as they are written. Loss window: whatever the OS had not written back, on a machine crash.
     */
    NEVER
}
