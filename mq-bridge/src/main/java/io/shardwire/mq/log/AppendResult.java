package io.shardwire.mq.log;

/** What became of an appended batch. */
public sealed interface AppendResult {

    /**
     * The batch is in the log, durable as far as the fsync policy promises.
     *
     * @param firstOffset the offset of its first record
     * @param lastOffset  the offset of its last record
     */
    record Appended(long firstOffset, long lastOffset) implements AppendResult {
    }

    /**
     * The batch was dropped: the log already holds a batch from the same producer at the same or a later position.
     *
     * @param producerId the producer
     * @param lastStored the producer's last position in the log
     */
    record Duplicate(String producerId, SourcePosition lastStored) implements AppendResult {

        @Override
        public String toString() {
            return "duplicate from " + producerId + ", last stored = " + lastStored;
        }
    }
}
