package io.shardwire.mq.log;

import java.util.List;
import java.util.Optional;

/**
 * Records appended together: they get consecutive offsets, reach the disk as one unit, and after a crash either all
 * of them are in the log or none is. A batch with a producer is idempotent: the log drops it if it already holds a
 * batch from that producer at the same or a later source position.
 *
 * @param producer the producer and its source position after this batch, or empty for an anonymous batch that is
 *                 never deduplicated
 * @param records  the records, at least one
 */
public record RecordBatch(Optional<ProducerPosition> producer, List<Record> records) {

    /** Copies the record list and rejects an empty one. */
    public RecordBatch {
        if (producer == null) {
            throw new IllegalArgumentException("producer: null (expected: Optional.empty() for an anonymous batch)");
        }
        if (records == null || records.isEmpty()) {
            throw new IllegalArgumentException("records: " + records + " (expected: at least one record)");
        }
        records = List.copyOf(records);
    }

    /**
     * An anonymous batch.
     *
     * @param records the records
     * @return the batch
     */
    public static RecordBatch of(List<Record> records) {
        return new RecordBatch(Optional.empty(), records);
    }

    /**
     * An idempotent batch.
     *
     * @param producerId the producer
     * @param position   the producer's source position after this batch
     * @param records    the records
     * @return the batch
     */
    public static RecordBatch of(String producerId, SourcePosition position, List<Record> records) {
        return new RecordBatch(Optional.of(new ProducerPosition(producerId, position)), records);
    }
}
