package io.shardwire.cdc;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The change capture of one shard group primary: reads its binlog and appends each committed transaction's row
 * changes to the group's queue partition, exactly once, in commit order. The durable resume point is the queue
 * itself: a capture started again, after a stop or a crash, continues after the last transaction in the queue.
 *
 * <p>One-shot: start it once, close it once; to resume, create a new one. Thread-safe.
 */
public interface ChangeCapture extends AutoCloseable {

    /**
     * Checks the server and starts capturing on a thread of the capture's own; returns without waiting for the
     * binlog connection (see {@link #awaitStreaming}).
     *
     * @throws io.shardwire.cdc.source.CaptureRefusedException if the server's binlog cannot be captured
     * @throws IllegalStateException if already started
     */
    void start();

    /**
     * Waits until the capture reads the binlog, after its initial snapshot if it takes one: from then on no commit
     * is missed. The engine's "task started" callback comes earlier and is no such promise.
     *
     * @param timeout how long to wait
     * @throws TimeoutException     if it is not streaming by then
     * @throws IllegalStateException if the capture failed or was closed meanwhile, with the cause
     * @throws InterruptedException if interrupted
     */
    void awaitStreaming(Duration timeout) throws TimeoutException, InterruptedException;

    /** @return the capture's current state and counters */
    CaptureHealth health();

    /** @return how far the capture has got: events captured, last position, lag */
    CaptureProgress progress();

    /**
     * Stops capturing, waits for the engine and for an append in progress, and drops a transaction that was
     * gathered but not stored, which the next capture reads again. Idempotent.
     */
    @Override
    void close();
}
