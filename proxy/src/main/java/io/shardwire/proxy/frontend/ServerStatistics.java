package io.shardwire.proxy.frontend;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The counters COM_STATISTICS reports, in MySQL's line format. Thread-safe.
 */
final class ServerStatistics {

    private final long startedNanos = System.nanoTime();
    private final LongAdder questions = new LongAdder();
    private final IntSupplier connections;

    ServerStatistics(IntSupplier connections) {
        this.connections = connections;
    }

    /** Counts one statement received (COM_QUERY or COM_STMT_EXECUTE), as MySQL's Questions does. */
    void question() {
        questions.increment();
    }

    /** {@code Uptime: 42  Threads: 3  Questions: 1000  ...  Queries per second avg: 23.809}. */
    String line() {
        long uptimeSeconds = Math.max(1, (System.nanoTime() - startedNanos) / 1_000_000_000L);
        long asked = questions.sum();
        return String.format("Uptime: %d  Threads: %d  Questions: %d  Slow queries: 0  Opens: 0  Open tables: 0"
                + "  Queries per second avg: %.3f", uptimeSeconds, connections.getAsInt(), asked,
                (double) asked / uptimeSeconds);
    }
}
