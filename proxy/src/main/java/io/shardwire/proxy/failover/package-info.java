/**
 * Automatic failover of a shard group whose primary stopped answering: promotion of the most advanced replica, the
 * other replicas re-pointed by GTID, the former primary fenced with {@code read_only=ON}.
 */
package io.shardwire.proxy.failover;
