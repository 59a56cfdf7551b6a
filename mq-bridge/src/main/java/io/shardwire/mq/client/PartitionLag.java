package io.shardwire.mq.client;

import java.util.OptionalLong;

/**
 * How far a consumer group is behind on one partition.
 *
 * @param topic           the topic
 * @param partition       the partition
 * @param committedOffset the next offset the group will consume, if it committed one
 * @param latestOffset    the partition's log end offset
 * @param lag             records between the committed offset (the earliest retained offset if none) and the end
 */
public record PartitionLag(String topic, int partition, OptionalLong committedOffset, long latestOffset, long lag) {
}
