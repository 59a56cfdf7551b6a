package io.shardwire.proxy.frontend;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts client connections against the server's limits: all connections ({@code maxConnections}, checked when a
 * connection is accepted) and each user's logged-in connections ({@code maxUserConnections}, checked at login), as
 * MySQL's {@code max_connections} and {@code max_user_connections}. Thread-safe.
 */
final class ConnectionLimits {

    private final int maxConnections;
    /** 0 means no per-user limit, as in MySQL. */
    private final int maxUserConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perUser = new ConcurrentHashMap<>();

    ConnectionLimits(int maxConnections, int maxUserConnections) {
        this.maxConnections = maxConnections;
        this.maxUserConnections = maxUserConnections;
    }

    /** Counts a new connection, or says false (and counts nothing) when {@code maxConnections} are open. */
    boolean tryOpen() {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Connections open now. */
    int open() {
        return open.get();
    }

    /** A connection counted by {@link #tryOpen} closed. */
    void closed() {
        open.decrementAndGet();
    }

    /** Counts a login of {@code user}, or says false (and counts nothing) when the user is at the limit. */
    boolean tryLogin(String user) {
        AtomicInteger count = perUser.computeIfAbsent(user, u -> new AtomicInteger());
        if (maxUserConnections > 0 && count.incrementAndGet() > maxUserConnections) {
            count.decrementAndGet();
            return false;
        }
        if (maxUserConnections == 0) {
            count.incrementAndGet();
        }
        return true;
    }

    /** A connection counted by {@link #tryLogin} closed. */
    void loggedOut(String user) {
        perUser.get(user).decrementAndGet();
    }
}
