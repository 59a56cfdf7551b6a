/**
 * Which data source of each shard group is its primary now, which former primaries are fenced, and the file in the
 * proxy's data dir that keeps this across restarts.
 */
package io.shardwire.proxy.topology;
