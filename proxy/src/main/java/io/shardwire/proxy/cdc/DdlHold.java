package io.shardwire.proxy.cdc;

import io.shardwire.cdc.ChangeCaptures;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Holds DDL sent through the proxy until every change capture reads its binlog. A capture's first snapshot reads the
 * table structures before it streams; DDL landing meanwhile (the MySQL port is open while captures start, so that
 * large snapshots do not keep clients out) could leave Debezium without a table's schema, which stops the capture
 * ("schema isn't known to this connector"). Once all captures stream, the hold is released for good and costs a
 * volatile read per statement. Thread-safe.
 */
public final class DdlHold {

    /** How long a DDL statement waits for the captures before it is refused. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Pattern DDL = Pattern.compile(
            "\\s*(?:/\\*.*?\\*/\\s*)*(?:CREATE|ALTER|DROP|RENAME|TRUNCATE)\\b",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final Supplier<Optional<ChangeCaptures>> captures;
    private final Duration maxWait;
    private volatile boolean released;

    /**
     * @param captureEnabled whether the configuration enables change capture; if not, nothing is ever held
     * @param captures       the running captures, empty until they are started
     * @param maxWait        how long a DDL statement waits
     */
    public DdlHold(boolean captureEnabled, Supplier<Optional<ChangeCaptures>> captures, Duration maxWait) {
        this.captures = captures;
        this.maxWait = maxWait;
        this.released = !captureEnabled;
    }

    /**
     * Waits, if {@code sql} is DDL, until every capture streams.
     *
     * @param sql a statement from a client
     * @return empty if it may run now; else why it is refused (the captures still do not stream)
     */
    public Optional<String> await(String sql) {
        if (released || !DDL.matcher(sql).lookingAt()) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        try {
            Optional<ChangeCaptures> running = captures.get();
            while (running.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    return Optional.of(refusal("change capture has not started"));
                }
                Thread.sleep(POLL.toMillis());
                running = captures.get();
            }
            running.get().awaitStreaming(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            released = true;
            return Optional.empty();
        } catch (TimeoutException e) {
            return Optional.of(refusal(e.getMessage()));
        } catch (IllegalStateException e) {
            // A capture that failed or was stopped has no snapshot left to protect.
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(refusal("interrupted while waiting"));
        }
    }

    private String refusal(String why) {
        return "DDL is held while change capture takes its first snapshot, and it still does not stream after "
                + maxWait.toSeconds() + " s (" + why + "); retry once SHOW SHARDWIRE CDC shows every group STREAMING";
    }
}
