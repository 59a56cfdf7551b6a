/**
 * Change data capture: one Debezium embedded engine per shard group primary, turning every
 * committed row change into a logical change event appended to the queue exactly once.
 */
package io.shardwire.cdc;
