package io.shardwire.config;

/**
 * Settings of one logical table. Sharding rules (key, algorithm, data nodes) join this record
 * when the router learns to split tables; until then a table lives whole on one shard group.
 *
 * @param name       logical table name
 * @param shardGroup the shard group holding the table
 */
public record TableConfig(String name, String shardGroup) {
}
