package io.shardwire.config;

/**
 * A data node: one physical database on one shard group. Sharded, broadcast and single tables
 * are placed on data nodes; buckets map to data nodes, so a bucket moves with its data node.
 *
 * @param name       the physical database name, e.g. {@code shop_0}
 * @param shardGroup the shard group whose servers hold the database
 */
public record DataNodeConfig(String name, String shardGroup) {
}
