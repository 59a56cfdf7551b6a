package io.shardwire.config;

import java.util.List;

/**
 * Where the rows of a sharded table go: key value -> bucket by the algorithm, bucket -> data node
 * by a bucket map that spreads the buckets evenly over the data nodes in order (bucket {@code b}
 * goes to data node {@code b * dataNodes / buckets}). Tables bound together share one rule.
 *
 * @param algorithm key value -> bucket
 * @param buckets   the number of buckets, >= the number of data nodes
 * @param dataNodes the data nodes' names, in bucket-map order; a node's position is its {@code ${index}}
 */
public record ShardingRuleConfig(ShardingAlgorithmConfig algorithm, int buckets, List<String> dataNodes) {

    public ShardingRuleConfig {
        dataNodes = List.copyOf(dataNodes);
    }
}
