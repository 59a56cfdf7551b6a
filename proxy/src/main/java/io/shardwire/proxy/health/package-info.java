/**
 * Data source health: a heartbeat per primary and replica of every shard group, with replica lag, read by the
 * admin statements and the metrics (and by read/write splitting and failover, which build on it).
 */
package io.shardwire.proxy.health;
