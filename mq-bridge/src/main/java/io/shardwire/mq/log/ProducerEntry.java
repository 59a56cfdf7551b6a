package io.shardwire.mq.log;

/**
 * What a partition remembers about a producer: its position after its last stored batch.
 *
 * @param position   the source position of the producer's last batch in the partition
 * @param lastOffset the offset of that batch's last record
 */
record ProducerEntry(SourcePosition position, long lastOffset) {
}
