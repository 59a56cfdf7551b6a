package io.shardwire.mq.bridge;

import java.util.List;

/**
 * Changes fetched from one queue partition in one round, to deliver together.
 *
 * @param partition  the queue partition
 * @param changes    the changes, in offset order, at least one
 * @param nextOffset the offset after the last change: the partition's resume point once they are delivered
 */
public record PartitionBatch(int partition, List<ChangeRecord> changes, long nextOffset) {

    /** Copies the list. */
    public PartitionBatch {
        changes = List.copyOf(changes);
    }
}
