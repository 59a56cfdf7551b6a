/**
 * The sparse indexes of a segment: {@link io.shardwire.mq.index.OffsetIndex} (offset to file position) and
 * {@link io.shardwire.mq.index.TimeIndex} (timestamp to offset). Both are derived data: they carry no checksum,
 * are checked for sanity when read, and are rebuilt from the log whenever they are missing or fail that check.
 */
package io.shardwire.mq.index;
