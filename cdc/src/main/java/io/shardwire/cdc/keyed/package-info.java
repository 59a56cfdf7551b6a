/**
 * Key partitioning of the change topic: the per-group partitions spread again by logical table and primary key, for
 * parallel consumers, exactly once and in row order.
 */
package io.shardwire.cdc.keyed;
