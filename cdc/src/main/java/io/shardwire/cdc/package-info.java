/**
 * Change data capture: one Debezium embedded engine per shard group primary, turning every committed row change into
 * a logical change event appended to the queue exactly once.
 *
 * <p>Start here: {@link io.shardwire.cdc.ChangeCaptures#start} captures every group into one topic with a
 * partition per group; {@link io.shardwire.cdc.ChangeCapture} is one group's capture;
 * {@link io.shardwire.cdc.event.ChangeEvent} is what lands in the queue, as
 * {@link io.shardwire.cdc.event.ChangeEventJson}.
 */
package io.shardwire.cdc;
