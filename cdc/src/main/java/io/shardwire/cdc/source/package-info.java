/**
 * What a shard group primary must offer before capture starts there: the capture's own replication account, and a
 * binlog the capture can read (ROW format, FULL row images).
 */
package io.shardwire.cdc.source;
