package io.shardwire.proxy.session;

import io.shardwire.proxy.backend.BackendConnection;
import io.shardwire.proxy.backend.BackendPools;
import io.shardwire.proxy.backend.BackendStatement;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.proxy.protocol.constant.MySQLStatusFlag;
import io.shardwire.router.plan.NodeStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's backend connections and its failure policy on them: one pinned connection per shard
 * group it used (held for its lifetime, so that session variables and transactions behave as on a
 * single server), the session SETs every connection it takes is brought to, and the statement now
 * running (for KILL QUERY from another thread).
 *
 * <p>Not thread-safe, except {@link #cancelRunning}, {@link #backendThreads} and {@link #chosenAsDeadlockVictim}:
 * owned by one session.
 */
final class SessionBackends {

    private static final Logger log = LoggerFactory.getLogger(SessionBackends.class);

    /** Session SETs a session may accumulate; each costs a round trip on every connection it takes. */
    static final int MAX_SESSION_SETS = 64;

    private final int sessionId;
    private final BackendPools pools;
    private final boolean foundRows;
    private final ReadRouting reads;
    /** Told of a connection that is lost, so that nothing keeps using it (prepared statements on it). */
    private final Consumer<BackendConnection> onLost;
    private final IntConsumer onStatementError;
    private final Map<String, BackendConnection> pinned = new HashMap<>();
    /** Session SETs in order, replayed on every backend connection the session takes later. */
    private SessionSets sessionSets = SessionSets.NONE;
    /** The backend statements now executing (several for a scatter read), for KILL QUERY from another thread. */
    private volatile List<Running> running = List.of();
    /** How to stop the statement the session runs outside its JDBC connections now, or null. */
    private volatile Runnable runningElsewhere;
    /** The pinned connections' server thread ids by group, for the global deadlock detector's thread. */
    private volatile Map<String, Long> backendThreads = Map.of();
    /** Set by the global deadlock detector before it interrupts the statement this session waits in, else null. */
    private volatile String deadlockVictim;

    /**
     * @param onLost           told of a pinned connection dropped after it was lost
     * @param onStatementError told of each backend error passed to the client, by code
     */
    SessionBackends(int sessionId, BackendPools pools, boolean foundRows, ReadRouting reads,
                    Consumer<BackendConnection> onLost, IntConsumer onStatementError) {
        this.onStatementError = onStatementError;
        this.sessionId = sessionId;
        this.pools = pools;
        this.foundRows = foundRows;
        this.reads = reads;
        this.onLost = onLost;
    }

    /** The session's connection to the group, opened on first use, for a statement that may write. */
    BackendConnection pinnedConnection(String group) throws SQLException {
        return pinnedConnection(group, true);
    }

    /**
     * The session's connection to the group, opened on first use.
     *
     * @param mayWrite whether the statement may write: later replica reads of the group wait for its GTID
     *                 ({@link ReadRouting}); describing a statement (a prepare, a field list) writes nothing
     */
    private BackendConnection pinnedConnection(String group, boolean mayWrite) throws SQLException {
        if (mayWrite) {
            reads.usedPrimary(group);
        }
        BackendConnection backend = pinned.get(group);
        if (backend != null && !pools.isCurrent(backend)) {
            // A failover retired the primary this connection is to: autocommit work goes on at the new primary.
            boolean inTransaction = openTransaction(backend);
            dropBroken(backend, false);
            backend = null;
            if (inTransaction) {
                throw new SQLException("shard group " + group + " failed over to a new primary during this transaction,"
                        + " so its work there is gone; roll back and retry the transaction", "HY000");
            }
        }
        if (backend == null) {
            backend = pools.primaryConnection(group, foundRows);
            pinned.put(group, backend);
            pinnedChanged();
            withSessionState(backend);
        }
        return backend;
    }

    /** Whether the connection's last response had a transaction open; unknown counts as open. */
    private static boolean openTransaction(BackendConnection backend) {
        try {
            return (backend.serverStatusFlags() & MySQLStatusFlag.SERVER_STATUS_IN_TRANS.value()) != 0;
        } catch (SQLException e) {
            return true;
        }
    }

    /** The pinned connection to the group, or null if the session holds none. */
    BackendConnection pinned(String group) {
        return pinned.get(group);
    }

    /** Whether the connection is one the session holds (not dropped after a failure). */
    boolean holds(BackendConnection connection) {
        return pinned.get(connection.group()) == connection;
    }

    /** The session's connection to the node's group, in the node's database; null after answering an error. */
    BackendConnection pinnedFor(NodeStatement node, Responder responder) throws ClientGoneException {
        return pinnedFor(node, responder, true);
    }

    /**
     * As {@link #pinnedFor(NodeStatement, Responder)}, for a statement the backend only describes (a prepare, a
     * field list): it writes nothing, so it leaves the session's replica reads of the group as they were.
     */
    BackendConnection pinnedToDescribe(NodeStatement node, Responder responder) throws ClientGoneException {
        return pinnedFor(node, responder, false);
    }

    private BackendConnection pinnedFor(NodeStatement node, Responder responder, boolean mayWrite)
            throws ClientGoneException {
        String group = node.node().shardGroup();
        try {
            BackendConnection backend = pinnedConnection(group, mayWrite);
            if (node.node().database() != null) {
                backend.useCatalog(node.node().database());
            }
            return backend;
        } catch (SQLException e) {
            BackendConnection broken = pinned.get(group);
            if (broken != null && BackendStatement.isConnectionLost(e)) {
                dropBroken(broken, false);
            }
            responder.error(MySQLErrorCode.ER_UNKNOWN_ERROR.errorCode(), MySQLErrorCode.ER_UNKNOWN_ERROR.sqlState(),
                    "Shard group " + group + " (" + pools.primaryAddress(group) + ") is unavailable: " + e.getMessage());
            return null;
        }
    }

    /** A pooled primary connection of the group for one scatter read, in the session's state. */
    BackendConnection scatterConnection(String group) throws SQLException {
        return withSessionState(pools.primaryConnection(group, foundRows));
    }

    /** Brings a connection the session just took to the session's state (its earlier SETs). */
    BackendConnection withSessionState(BackendConnection connection) throws SQLException {
        for (String set : sessionSets.statements()) {
            connection.run(set);
        }
        return connection;
    }

    /** The session SETs, in order, that connections it takes must replay (an immutable list). */
    List<String> sessionSets() {
        return sessionSets.statements();
    }

    /**
     * Whether a session SET names a user variable: such SETs are usually the session's own (an id, a counter), so
     * connections that replayed them could serve no other session.
     */
    boolean setsUserVariables() {
        return sessionSets.setUserVariables();
    }

    /**
     * The session SETs after one more, without the earlier ones it supersedes; {@link #remember} them once it ran, if
     * they stay within {@value #MAX_SESSION_SETS}.
     */
    SessionSets setsWith(String sql) {
        return sessionSets.with(sql);
    }

    /** Remembers the session SETs ({@link #setsWith}) for the connections the session takes later. */
    void remember(SessionSets sets) {
        sessionSets = sets;
    }

    /** A copy of the pinned connections, to run something on each. */
    List<BackendConnection> pinnedConnections() {
        return List.copyOf(pinned.values());
    }

    /**
     * Forgets a pinned connection, lost here or aborted elsewhere (a cross-group commit aborts the connection of an XA
     * branch it left prepared), so that the session's next statement on its group takes a new one.
     */
    void forget(BackendConnection backend) {
        if (pinned.remove(backend.group(), backend)) {
            pinnedChanged();
            reads.lostPrimary(backend.group());
        }
        onLost.accept(backend);
    }

    /** Forgets and aborts a connection that is lost or whose client left mid-result. */
    void dropBroken(BackendConnection backend, boolean clientGone) {
        forget(backend);
        backend.abort();
        if (!clientGone) {
            log.warn("session {}: lost the backend connection to {} ({})", sessionId, backend.group(), backend.address());
        }
    }

    /** Work on a backend connection that answers the client itself. */
    @FunctionalInterface
    interface BackendWork {
        void run() throws SQLException, ClientGoneException;
    }

    /**
     * Runs backend work with the session's failure policy: a backend error is passed to the client
     * with its code and SQLSTATE; a lost backend connection is dropped and reported naming the
     * group; a client that leaves gets its backend connection aborted before {@code cleanup} runs,
     * since closing a streaming result would otherwise read it to its end.
     */
    void onBackend(BackendConnection backend, Responder responder, BackendWork work, Runnable cleanup)
            throws ClientGoneException {
        try {
            work.run();
        } catch (ClientGoneException e) {
            dropBroken(backend, true);
            throw e;
        } catch (SQLException failure) {
            SQLException e = deadlockOr(failure);
            if (BackendStatement.isConnectionLost(e)) {
                dropBroken(backend, false);
                responder.error(MySQLErrorCode.ER_UNKNOWN_ERROR.errorCode(), MySQLErrorCode.ER_UNKNOWN_ERROR.sqlState(),
                        "Lost the connection to shard group " + backend.group() + " (" + backend.address() + "): "
                                + e.getMessage());
            } else {
                onStatementError.accept(e.getErrorCode());
                responder.error(e);
            }
        } finally {
            notRunning();
            cleanup.run();
        }
    }

    /** What to do with a text statement once it has run on a backend. */
    @FunctionalInterface
    interface TextWork {
        void answer(BackendStatement statement) throws SQLException, ClientGoneException;
    }

    /**
     * Runs {@code sql} on a backend with the text protocol under the session's failure policy
     * ({@link #onBackend}); the statement is cancellable by KILL while it runs and closed after.
     */
    void runText(BackendConnection backend, String sql, List<?> parameters, Responder responder, TextWork work)
            throws ClientGoneException {
        BackendStatement[] statement = new BackendStatement[1];
        onBackend(backend, responder, () -> {
            statement[0] = BackendStatement.open(backend, sql, parameters);
            running(backend, statement[0].jdbc());
            statement[0].execute();
            work.answer(statement[0]);
        }, () -> {
            if (statement[0] != null) {
                statement[0].closeQuietly();
            }
        });
    }

    /** Runs a statement whose result the client does not see; on failure the client gets the error. */
    boolean runQuietly(BackendConnection backend, String sql, Responder responder) throws ClientGoneException {
        boolean[] done = {false};
        runText(backend, sql, List.of(), responder, statement -> done[0] = true);
        return done[0];
    }

    /** A statement executing on a backend connection. */
    private record Running(BackendConnection connection, Statement statement) {
    }

    /** Marks the statement now running on a backend connection, for {@link #cancelRunning}. */
    void running(BackendConnection connection, Statement statement) {
        running = List.of(new Running(connection, statement));
    }

    /** Marks the statement the session runs outside its JDBC connections now (null: none), for {@link #cancelRunning}. */
    void runningElsewhere(Runnable cancel) {
        runningElsewhere = cancel;
    }

    /** Marks the statements now running on backend connections at once (same order), for {@link #cancelRunning}. */
    void running(List<BackendConnection> connections, List<Statement> statements) {
        List<Running> now = new ArrayList<>(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            now.add(new Running(connections.get(i), statements.get(i)));
        }
        running = List.copyOf(now);
    }

    /** Marks that no statement runs on a backend now: a deadlock victim mark it did not use is stale. */
    void notRunning() {
        running = List.of();
        // Read before the write: a volatile read is cheap on every statement's path, a volatile write is not, and
        // the mark is almost never set.
        if (deadlockVictim != null) {
            deadlockVictim = null;
        }
    }

    /**
     * Stops the statement this session is running on a backend, if any (the backend gets KILL QUERY
     * for it on a separate connection, and the client its 1317 error); the connection is closed at its release
     * instead of pooled ({@link BackendConnection#killSent}). Safe from any thread.
     */
    void cancelRunning() {
        Runnable elsewhere = runningElsewhere;
        if (elsewhere != null) {
            elsewhere.run();
        }
        for (Running statement : running) {
            statement.connection().killSent();
            try {
                statement.statement().cancel();
            } catch (SQLException e) {
                log.debug("session {}: cancelling the running statement failed", sessionId, e);
            }
        }
    }

    /**
     * The session's status flags ({@code flags}) with IN_TRANS where a backend of the session reports a transaction the
     * proxy did not begin (a stored procedure's). Only ever added: a backend streaming a result reports no flags at
     * all (Connector/J clears them until the result's end), so its word cannot take a flag away.
     */
    int withBackendStatus(int flags) {
        int inTransaction = MySQLStatusFlag.SERVER_STATUS_IN_TRANS.value();
        for (BackendConnection backend : pinned.values()) {
            try {
                flags |= backend.serverStatusFlags() & inTransaction;
            } catch (SQLException e) {
                log.debug("session {}: no status from {}", sessionId, backend.address(), e);
            }
        }
        return flags;
    }

    /** Forgets the session SETs, then resets and returns every pinned connection. */
    void close() {
        sessionSets = SessionSets.NONE;
        pinned.values().forEach(BackendConnection::close);
        pinned.clear();
        pinnedChanged();
    }

    private void pinnedChanged() {
        Map<String, Long> threads = new HashMap<>();
        for (BackendConnection backend : pinned.values()) {
            try {
                threads.put(backend.group(), backend.serverThreadId());
            } catch (SQLException e) {
                log.debug("session {}: no thread id for {}", sessionId, backend.address(), e);
            }
        }
        backendThreads = Map.copyOf(threads);
    }

    /**
     * While a statement of the session runs on a backend, the server thread id of each pinned connection, by group;
     * empty otherwise: a session that runs nothing waits for no lock, so it is in no deadlock. Safe from any thread.
     */
    Map<String, Long> backendThreads() {
        return running.isEmpty() ? Map.of() : backendThreads;
    }

    /**
     * The global deadlock detector chose this session's transaction to end (null: it no longer does): the statement it
     * interrupts fails with {@link #deadlockOr}'s 1213 instead of 1317. Safe from any thread.
     */
    void chosenAsDeadlockVictim(String message) {
        deadlockVictim = message;
    }

    /**
     * The error a failed backend statement reports: a deadlock (1213, SQLSTATE 40001, {@code message} naming the
     * groups) for the statement the global deadlock detector interrupted (1317), else {@code failure} itself.
     */
    SQLException deadlockOr(SQLException failure) {
        String message = deadlockVictim;
        if (message == null || failure.getErrorCode() != MySQLErrorCode.ER_QUERY_INTERRUPTED.errorCode()) {
            return failure;
        }
        deadlockVictim = null;
        return new SQLException(message, MySQLErrorCode.ER_LOCK_DEADLOCK.sqlState(),
                MySQLErrorCode.ER_LOCK_DEADLOCK.errorCode(), failure);
    }
}
