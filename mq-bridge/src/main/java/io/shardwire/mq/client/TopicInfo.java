package io.shardwire.mq.client;

import java.util.List;

/**
 * A topic and the offset range of each of its partitions.
 *
 * @param name       the topic
 * @param partitions its partitions, by number
 */
public record TopicInfo(String name, List<PartitionRange> partitions) {

    /** Copies the partitions. */
    public TopicInfo {
        partitions = List.copyOf(partitions);
    }
}
