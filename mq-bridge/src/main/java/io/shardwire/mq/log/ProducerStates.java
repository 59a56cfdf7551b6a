package io.shardwire.mq.log;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last stored position of every producer in a partition; decides which batches are duplicates.
 *
 * <p><b>Invariant:</b> for every producer, the entry is that of its batch with the highest offset in the log (which,
 * since duplicates are dropped, also has its highest sequence). Rebuilt at open from a {@link ProducerSnapshot} plus
 * a scan of the batches after it.
 *
 * <p><b>Thread-safety:</b> updated by the appending thread, read by any thread.
 */
final class ProducerStates {

    private final ConcurrentHashMap<String, ProducerEntry> entries;

    ProducerStates(Map<String, ProducerEntry> initial) {
        this.entries = new ConcurrentHashMap<>(initial);
    }

    Optional<ProducerEntry> get(String producerId) {
        return Optional.ofNullable(entries.get(producerId));
    }

    /**
     * @param producer a producer and the position of a batch it is appending
     * @return the producer's entry if the log already holds that position or a later one
     */
    Optional<ProducerEntry> duplicateOf(ProducerPosition producer) {
        ProducerEntry last = entries.get(producer.producerId());
        if (last != null && producer.position().sequence() <= last.position().sequence()) {
            return Optional.of(last);
        }
        return Optional.empty();
    }

    /**
     * Records a batch stored in the log, if it has a producer.
     *
     * @param batch the batch, later in the log than every batch recorded before
     */
    void update(StoredBatch batch) {
        batch.producer().ifPresent(p -> entries.put(p.producerId(), new ProducerEntry(p.position(),
                batch.lastOffset())));
    }

    /** @return a copy of the entries */
    Map<String, ProducerEntry> snapshot() {
        return Map.copyOf(entries);
    }
}
