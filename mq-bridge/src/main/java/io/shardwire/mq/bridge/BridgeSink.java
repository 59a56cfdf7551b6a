package io.shardwire.mq.bridge;

import java.util.List;
import java.util.Map;

/**
 * Where a {@link QueueBridge} delivers: one outside broker. The bridge calls {@link #open} before the first delivery
 * and again after any failure (having called {@link #close}), and {@link #deliver} from one thread at a time.
 */
public interface BridgeSink extends AutoCloseable {

    /**
     * Connects to the broker and says where to resume.
     *
     * @param topic      the queue topic the bridge reads
     * @param partitions its partition count
     * @return the next offset per partition that the broker itself records as delivered; partitions it has no record
     *     of resume at the bridge's committed offset, else at the earliest retained one
     * @throws Exception if the broker cannot be reached or read
     */
    Map<Integer, Long> open(String topic, int partitions) throws Exception;

    /**
     * Delivers changes durably: when this returns, the broker holds them (and, for a sink that records its own resume
     * points, those points too).
     *
     * @param topic   the queue topic
     * @param batches the changes per partition
     * @throws Exception if they may not all be delivered; the bridge reopens the sink and delivers again from the
     *     resume points
     */
    void deliver(String topic, List<PartitionBatch> batches) throws Exception;

    /** Disconnects; never throws. */
    @Override
    void close();
}
