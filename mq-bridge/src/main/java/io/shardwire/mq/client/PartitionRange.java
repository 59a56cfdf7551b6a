package io.shardwire.mq.client;

/**
 * The offsets a partition holds.
 *
 * @param partition      the partition number
 * @param earliestOffset the earliest retained offset
 * @param latestOffset   the log end offset: one past the last record, where only new records are read
 */
public record PartitionRange(int partition, long earliestOffset, long latestOffset) {
}
