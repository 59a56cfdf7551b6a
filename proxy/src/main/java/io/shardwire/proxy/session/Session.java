package io.shardwire.proxy.session;

import io.shardwire.config.ShardwireConfig;
import io.shardwire.config.UserConfig;
import io.shardwire.proxy.backend.BackendConnection;
import io.shardwire.proxy.backend.BackendPools;
import io.shardwire.proxy.backend.BackendPreparedStatement;
import io.shardwire.proxy.backend.BackendStatement;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.proxy.protocol.constant.MySQLStatusFlag;
import io.shardwire.router.route.Route;
import io.shardwire.router.route.RouteException;
import io.shardwire.router.route.StatementRouter;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's state after authentication: who it is, its logical schema, and the
 * backend connections it has pinned (one per shard group it used, held for its lifetime so that
 * session variables and transactions behave as on a single server).
 *
 * <p>Not thread-safe: the frontend runs a session's commands, and finally {@link #close}, one
 * after another.
 */
public final class Session implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final int id;
    private final UserConfig user;
    private final String clientHost;
    private final boolean foundRows;
    private final ShardwireConfig config;
    private final StatementRouter router;
    private final BackendPools pools;
    private final Map<String, BackendConnection> pinned = new HashMap<>();
    private final Map<Long, PreparedStatementState> prepared = new HashMap<>();
    private final int maxPreparedStatements;
    private final long maxLongDataBytes;
    private long nextStatementId = 1;

    /** The statement id MariaDB clients use for "the statement just prepared". */
    private static final long LAST_PREPARED = 0xFFFF_FFFFL;
    private String schema;
    private final SessionRegistry sessions;
    /** The backend statement now executing, for KILL QUERY from another thread. */
    private volatile Statement running;

    public Session(int id, UserConfig user, String clientHost, String schema, boolean foundRows,
                   ShardwireConfig config, StatementRouter router, BackendPools pools, Limits limits,
                   SessionRegistry sessions) {
        this.sessions = sessions;
        this.maxPreparedStatements = limits.maxPreparedStatements();
        this.maxLongDataBytes = limits.maxPacketBytes();
        this.id = id;
        this.user = user;
        this.clientHost = clientHost;
        this.schema = schema;
        this.foundRows = foundRows;
        this.config = config;
        this.router = router;
        this.pools = pools;
    }

    /** The connection id the client was given in the handshake. */
    public int id() {
        return id;
    }

    /** The logical schema in use, or null. */
    public String schema() {
        return schema;
    }

    /**
     * Checks that a schema may be selected by this user, as at connect time or by COM_INIT_DB.
     *
     * @return the MySQL error to send, or null when the schema may be used
     */
    public SessionError checkSchema(String name) {
        if (config.schema(name).isEmpty()) {
            return SessionError.of(MySQLErrorCode.ER_BAD_DB_ERROR, name);
        }
        if (!user.maySee(name)) {
            return SessionError.of(MySQLErrorCode.ER_DBACCESS_DENIED_ERROR, user.name(), clientHost, name);
        }
        return null;
    }

    /** COM_INIT_DB and {@code USE}: switch the logical schema. */
    public void useSchema(String name, Responder responder) throws ClientGoneException {
        SessionError error = checkSchema(name);
        if (error != null) {
            error.sendTo(responder);
            return;
        }
        schema = name;
        responder.ok(0, 0, statusFlags());
    }

    /** COM_QUERY: route the statement, run it on its shard group, stream the outcome. */
    public void query(String sql, Responder responder) throws ClientGoneException {
        Optional<KillStatement> kill = KillStatement.parse(sql);
        if (kill.isPresent()) {
            kill(kill.get(), responder);
            return;
        }
        Route route;
        try {
            route = router.route(sql, schema);
        } catch (RouteException e) {
            routeError(e).sendTo(responder);
            return;
        }
        switch (route) {
            case Route.UseSchema use -> useSchema(use.schema(), responder);
            case Route.ShowSchemas show -> responder.rows("Database", visibleSchemas(), statusFlags());
            case Route.ToShardGroup target -> execute(sql, target, responder);
        }
    }

    private void execute(String sql, Route.ToShardGroup target, Responder responder) throws ClientGoneException {
        BackendConnection backend = backendFor(target, responder);
        if (backend == null) {
            return;
        }
        BackendStatement[] statement = new BackendStatement[1];
        onBackend(backend, responder, () -> {
            statement[0] = BackendStatement.open(backend);
            running = statement[0].jdbc();
            statement[0].execute(sql);
            do {
                if (statement[0].isResultSet()) {
                    responder.rows(statement[0].resultSet(), () -> backendStatus(backend));
                } else {
                    responder.ok(statement[0].updateCount(), statement[0].lastInsertId(), backendStatus(backend));
                }
            } while (statement[0].nextResult());
        }, () -> {
            if (statement[0] != null) {
                statement[0].closeQuietly();
            }
        });
    }

    /** COM_FIELD_LIST: the table's columns, from the backend's description of an empty select of it. */
    public void fieldList(String table, Responder responder) throws ClientGoneException {
        String sql = "SELECT * FROM `" + table.replace("`", "``") + "` LIMIT 0";
        Route route;
        try {
            route = router.route(sql, schema);
        } catch (RouteException e) {
            routeError(e).sendTo(responder);
            return;
        }
        if (!(route instanceof Route.ToShardGroup target)) {
            SessionError.of(MySQLErrorCode.ER_UNKNOWN_ERROR, "COM_FIELD_LIST of " + table).sendTo(responder);
            return;
        }
        BackendConnection backend = backendFor(target, responder);
        if (backend == null) {
            return;
        }
        BackendStatement[] statement = new BackendStatement[1];
        onBackend(backend, responder, () -> {
            statement[0] = BackendStatement.open(backend);
            statement[0].execute(sql);
            responder.fieldList(BackendStatement.fieldsOf(statement[0].resultSet()), backendStatus(backend));
        }, () -> {
            if (statement[0] != null) {
                statement[0].closeQuietly();
            }
        });
    }

    /**
     * COM_RESET_CONNECTION: the session starts afresh (prepared statements deallocated, backend
     * connections reset and returned) but keeps its user and schema.
     */
    public void resetConnection(Responder responder) throws ClientGoneException {
        close();
        responder.ok(0, 0, statusFlags());
    }

    /** COM_STMT_PREPARE: prepare on the backend of the statement's shard group, answer with its metadata. */
    public void prepare(String sql, Responder responder) throws ClientGoneException {
        if (prepared.size() >= maxPreparedStatements) {
            SessionError.of(MySQLErrorCode.ER_MAX_PREPARED_STMT_COUNT_REACHED, maxPreparedStatements).sendTo(responder);
            return;
        }
        Route route;
        try {
            route = router.route(sql, schema);
        } catch (RouteException e) {
            routeError(e).sendTo(responder);
            return;
        }
        if (!(route instanceof Route.ToShardGroup target)) {
            SessionError.of(MySQLErrorCode.ER_UNSUPPORTED_PS).sendTo(responder);
            return;
        }
        BackendConnection backend = backendFor(target, responder);
        if (backend == null) {
            return;
        }
        onBackend(backend, responder, () -> {
            BackendPreparedStatement statement = BackendPreparedStatement.prepare(backend, sql);
            long statementId = nextStatementId++;
            PreparedStatementState state = new PreparedStatementState(statementId, sql, target, statement,
                    statement.parameterCount());
            prepared.put(statementId, state);
            responder.prepared(statementId, state.parameterCount(), statement.columns());
        }, () -> { });
    }

    /**
     * The prepared statement with this id, for decoding its parameters. The id 0xFFFFFFFF means the
     * statement prepared last: MariaDB clients send it to execute a statement in the same round trip as
     * its prepare.
     */
    public Optional<PreparedStatementState> preparedStatement(long statementId) {
        long id = statementId == LAST_PREPARED ? nextStatementId - 1 : statementId;
        return Optional.ofNullable(prepared.get(id));
    }

    /** COM_STMT_EXECUTE: bind the decoded values, execute, stream binary rows. */
    public void executePrepared(long statementId, List<Object> parameters, Responder responder)
            throws ClientGoneException {
        PreparedStatementState state = preparedStatement(statementId).orElse(null);
        if (state == null) {
            SessionError.of(MySQLErrorCode.ER_UNKNOWN_STMT_HANDLER, statementId, "mysqld_stmt_execute").sendTo(responder);
            return;
        }
        if (state.longDataOverflow()) {
            state.clearLongData();
            SessionError.of(MySQLErrorCode.ER_NET_PACKET_TOO_LARGE).sendTo(responder);
            return;
        }
        BackendConnection backend = backendFor(state.route(), responder);
        if (backend == null) {
            return;
        }
        onBackend(backend, responder, () -> {
            if (state.backendStatement().connection() != backend) {
                // The connection it was prepared on was lost since; prepare again on the new one.
                state.replaceBackendStatement(BackendPreparedStatement.prepare(backend, state.sql()));
            }
            BackendPreparedStatement statement = state.backendStatement();
            running = statement.jdbc();
            statement.execute(parameters);
            if (statement.isResultSet()) {
                responder.binaryRows(statement.resultSet(), () -> backendStatus(backend));
            } else {
                responder.ok(statement.updateCount(), statement.lastInsertId(), backendStatus(backend));
            }
        }, () -> {
            state.backendStatement().closeResult();
            state.clearLongData();
        });
    }

    /** COM_STMT_SEND_LONG_DATA: keep a piece of a parameter's value for the next execute (no response). */
    public void appendLongData(long statementId, int parameter, byte[] data) {
        PreparedStatementState state = preparedStatement(statementId).orElse(null);
        if (state != null) {
            state.appendLongData(parameter, data, maxLongDataBytes);
        }
    }

    /** COM_STMT_RESET: forget long data sent since the last execute. */
    public void resetPrepared(long statementId, Responder responder) throws ClientGoneException {
        PreparedStatementState state = preparedStatement(statementId).orElse(null);
        if (state == null) {
            SessionError.of(MySQLErrorCode.ER_UNKNOWN_STMT_HANDLER, statementId, "mysqld_stmt_reset").sendTo(responder);
            return;
        }
        state.clearLongData();
        responder.ok(0, 0, statusFlags());
    }

    /** COM_STMT_CLOSE: deallocate (no response). */
    public void closePrepared(long statementId) {
        PreparedStatementState state = prepared.remove(statementId);
        if (state != null) {
            state.backendStatement().close();
        }
    }

    /** The pinned connection for the route after access checks, or null after answering with the error. */
    private BackendConnection backendFor(Route.ToShardGroup target, Responder responder) throws ClientGoneException {
        for (String touched : target.schemas()) {
            if (!user.maySee(touched)) {
                SessionError.of(MySQLErrorCode.ER_DBACCESS_DENIED_ERROR, user.name(), clientHost, touched).sendTo(responder);
                return null;
            }
        }
        try {
            return pinnedConnection(target.shardGroup());
        } catch (SQLException e) {
            responder.error(MySQLErrorCode.ER_UNKNOWN_ERROR.errorCode(), MySQLErrorCode.ER_UNKNOWN_ERROR.sqlState(),
                    "Shard group " + target.shardGroup() + " (" + pools.primaryAddress(target.shardGroup())
                            + ") is unavailable: " + e.getMessage());
            return null;
        }
    }

    /** Work on a backend connection that answers the client itself. */
    @FunctionalInterface
    private interface BackendWork {
        void run() throws SQLException, ClientGoneException;
    }

    /**
     * Runs backend work with the session's failure policy: a backend error is passed to the client
     * with its code and SQLSTATE; a lost backend connection is dropped and reported naming the
     * group; a client that leaves gets its backend connection aborted before {@code cleanup} runs,
     * since closing a streaming result would otherwise read it to its end.
     */
    private void onBackend(BackendConnection backend, Responder responder, BackendWork work, Runnable cleanup)
            throws ClientGoneException {
        try {
            work.run();
        } catch (ClientGoneException e) {
            dropBroken(backend, true);
            throw e;
        } catch (SQLException e) {
            if (BackendStatement.isConnectionLost(e)) {
                dropBroken(backend, false);
                responder.error(MySQLErrorCode.ER_UNKNOWN_ERROR.errorCode(), MySQLErrorCode.ER_UNKNOWN_ERROR.sqlState(),
                        "Lost the connection to shard group " + backend.group() + " (" + backend.address() + "): "
                                + e.getMessage());
            } else {
                responder.error(e.getErrorCode(), Objects.requireNonNullElse(e.getSQLState(), "HY000"), e.getMessage());
            }
        } finally {
            running = null;
            cleanup.run();
        }
    }

    /**
     * Stops the statement this session is running on a backend, if any (the backend gets KILL QUERY
     * for it on a separate connection, and the client its 1317 error). Safe from any thread.
     */
    public void cancelRunning() {
        Statement statement = running;
        if (statement != null) {
            try {
                statement.cancel();
            } catch (SQLException e) {
                log.debug("session {}: cancelling the running statement failed", id, e);
            }
        }
    }

    /** KILL [QUERY | CONNECTION] id, and COM_PROCESS_KILL: stop another session's statement or connection. */
    public void kill(KillStatement kill, Responder responder) throws ClientGoneException {
        Optional<SessionRegistry.Control> target = sessions.find(kill.connectionId());
        if (target.isEmpty()) {
            SessionError.of(MySQLErrorCode.ER_NO_SUCH_THREAD, kill.connectionId()).sendTo(responder);
            return;
        }
        if (!user.admin() && !target.get().user().equals(user.name())) {
            SessionError.of(MySQLErrorCode.ER_KILL_DENIED_ERROR, kill.connectionId()).sendTo(responder);
            return;
        }
        if (kill.queryOnly()) {
            target.get().cancelQuery();
        } else {
            target.get().closeConnection();
        }
        responder.ok(0, 0, statusFlags());
    }

    /** The session's connection to the group, opened on first use and switched to the session's schema. */
    private BackendConnection pinnedConnection(String group) throws SQLException {
        BackendConnection backend = pinned.get(group);
        if (backend == null) {
            backend = pools.primaryConnection(group, foundRows);
            pinned.put(group, backend);
        }
        // Logical and physical schema names are equal until the router maps tables to data nodes.
        String wanted = schema;
        if (wanted != null) {
            backend.useCatalog(wanted);
        }
        return backend;
    }

    private void dropBroken(BackendConnection backend, boolean clientGone) {
        pinned.remove(backend.group());
        backend.abort();
        if (!clientGone) {
            log.warn("session {}: lost the backend connection to {} ({})", id, backend.group(), backend.address());
        }
    }

    private List<String> visibleSchemas() {
        return config.schemas().stream().map(s -> s.name()).filter(user::maySee).toList();
    }

    /** The flags a client may see from a backend response: transaction state and more results. */
    private static int backendStatus(BackendConnection backend) throws SQLException {
        return backend.serverStatusFlags() & (MySQLStatusFlag.SERVER_STATUS_AUTOCOMMIT.value()
                | MySQLStatusFlag.SERVER_STATUS_IN_TRANS.value() | MySQLStatusFlag.SERVER_MORE_RESULTS_EXISTS.value());
    }

    /** Autocommit unless a backend has it off; in a transaction if any backend is. */
    public int statusFlags() {
        int autocommit = MySQLStatusFlag.SERVER_STATUS_AUTOCOMMIT.value();
        int inTransaction = MySQLStatusFlag.SERVER_STATUS_IN_TRANS.value();
        int flags = autocommit;
        for (BackendConnection backend : pinned.values()) {
            try {
                int backendFlags = backend.serverStatusFlags();
                flags &= backendFlags | ~autocommit;
                flags |= backendFlags & inTransaction;
            } catch (SQLException e) {
                log.debug("session {}: no status from {}", id, backend.address(), e);
            }
        }
        return flags;
    }

    private SessionError routeError(RouteException e) {
        return switch (e.kind()) {
            case UNKNOWN_SCHEMA -> SessionError.of(MySQLErrorCode.ER_BAD_DB_ERROR, e.subject());
            case NO_SCHEMA_SELECTED -> SessionError.of(MySQLErrorCode.ER_NO_DB_ERROR);
            case CROSS_SHARD_GROUP -> SessionError.of(MySQLErrorCode.ER_UNKNOWN_ERROR, e.getMessage());
        };
    }

    /**
     * Deallocates prepared statements, then resets and returns every pinned backend connection.
     * Runs after the session's last command.
     */
    @Override
    public void close() {
        prepared.values().forEach(state -> state.backendStatement().close());
        prepared.clear();
        pinned.values().forEach(BackendConnection::close);
        pinned.clear();
    }

    /**
     * Per-session limits.
     *
     * @param maxPreparedStatements prepared statements open at once; the next prepare gets error 1461
     * @param maxPacketBytes        largest value a client may send, also as long data for one execute
     */
    public record Limits(int maxPreparedStatements, long maxPacketBytes) {
    }
}
