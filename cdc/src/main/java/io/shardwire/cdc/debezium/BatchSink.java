package io.shardwire.cdc.debezium;

import io.shardwire.cdc.event.CapturedEvent;
import java.util.List;

/** Where {@link TransactionBatcher} puts its batches: {@link QueueBatchWriter} in production, a list in tests. */
@FunctionalInterface
interface BatchSink {

    /**
     * Stores events together with the capture's position after them, atomically, and returns once they are durable.
     *
     * @param events   the events, at least one, in source order
     * @param position where the capture stands after the last of them
     * @throws InterruptedException if interrupted while waiting for the store
     */
    void append(List<? extends CapturedEvent> events, CapturePosition position) throws InterruptedException;
}
