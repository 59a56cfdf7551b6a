package io.shardwire.proxy.session;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxy's live sessions by connection id, so one session can KILL another. Thread-safe.
 */
public final class SessionRegistry {

    /** What a KILL can do to a session, from any thread. */
    public interface Control {
        /** The user the session logged in as. */
        String user();

        /** The client's address. */
        String clientHost();

        /** The session's logical schema now, or null. */
        String schema();

        /** When the session was authenticated. */
        Instant connectedAt();

        /** Stops the statement the session runs, if any (KILL QUERY). */
        void cancelQuery();

        /** Closes the client connection and stops its statement (KILL CONNECTION). */
        void closeConnection();

        /**
         * While the session runs a statement on a backend, the server thread id of each backend connection it holds,
         * by shard group; empty otherwise (it waits for no lock then).
         */
        Map<String, Long> backendThreads();

        /**
         * Marks the session's transaction as a global deadlock's victim (null: no longer): the statement then
         * interrupted fails with 1213 and {@code message}.
         */
        void chosenAsDeadlockVictim(String message);
    }

    private final Map<Long, Control> sessions = new ConcurrentHashMap<>();

    /** Adds a session under its connection id. */
    public void register(long connectionId, Control control) {
        sessions.put(connectionId, control);
    }

    /** Removes a session that ended. */
    public void unregister(long connectionId) {
        sessions.remove(connectionId);
    }

    /** The session with this connection id, if it is live. */
    public Optional<Control> find(long connectionId) {
        return Optional.ofNullable(sessions.get(connectionId));
    }

    /** Every live session by connection id, in id order: a copy. */
    public SortedMap<Long, Control> all() {
        return new TreeMap<>(sessions);
    }

    /** The number of live sessions. */
    public int size() {
        return sessions.size();
    }
}
