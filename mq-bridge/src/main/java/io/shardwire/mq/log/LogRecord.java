package io.shardwire.mq.log;

import java.util.Optional;

/**
 * A record read back from the log.
 *
 * @param offset   its offset in the partition
 * @param record   the record as the producer gave it
 * @param producer the producer and source position of the batch the record was appended in, if it had one
 */
public record LogRecord(long offset, Record record, Optional<ProducerPosition> producer) {

    /** @return the record's timestamp */
    public long timestamp() {
        return record.timestamp();
    }

    /** @return the record's key, or null */
    public byte[] key() {
        return record.key();
    }

    /** @return the record's value, or null */
    public byte[] value() {
        return record.value();
    }
}
