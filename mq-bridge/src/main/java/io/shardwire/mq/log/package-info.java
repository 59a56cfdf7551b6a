/**
 * The partition log: an append-only sequence of record batches kept in {@link io.shardwire.mq.log.Segment}s, each a
 * log file with a sparse offset index and time index, recovered after a crash, forced to disk by a
 * {@link io.shardwire.mq.log.FsyncPolicy}, deduplicated per producer by source position, and trimmed by retention.
 * {@link io.shardwire.mq.log.PartitionLog} is the entry point; {@link io.shardwire.mq.log.BatchFormat} documents the
 * bytes on disk.
 */
package io.shardwire.mq.log;
