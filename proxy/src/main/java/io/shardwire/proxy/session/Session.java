package io.shardwire.proxy.session;

import io.shardwire.config.ShardwireConfig;
import io.shardwire.config.UserConfig;
import io.shardwire.proxy.backend.BackendConnection;
import io.shardwire.proxy.backend.BackendPools;
import io.shardwire.proxy.backend.BackendStatement;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.proxy.protocol.constant.MySQLStatusFlag;
import io.shardwire.router.route.Route;
import io.shardwire.router.route.RouteException;
import io.shardwire.router.route.StatementRouter;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    private String schema;

    public Session(int id, UserConfig user, String clientHost, String schema, boolean foundRows,
                   ShardwireConfig config, StatementRouter router, BackendPools pools) {
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
        for (String touched : target.schemas()) {
            if (!user.maySee(touched)) {
                SessionError.of(MySQLErrorCode.ER_DBACCESS_DENIED_ERROR, user.name(), clientHost, touched).sendTo(responder);
                return;
            }
        }
        BackendConnection backend;
        try {
            backend = pinnedConnection(target.shardGroup());
        } catch (SQLException e) {
            responder.error(MySQLErrorCode.ER_UNKNOWN_ERROR.errorCode(), MySQLErrorCode.ER_UNKNOWN_ERROR.sqlState(),
                    "Shard group " + target.shardGroup() + " (" + pools.primaryAddress(target.shardGroup())
                            + ") is unavailable: " + e.getMessage());
            return;
        }
        BackendStatement statement = null;
        try {
            statement = BackendStatement.execute(backend, sql);
            do {
                if (statement.isResultSet()) {
                    responder.rows(statement.resultSet(), () -> backendStatus(backend));
                } else {
                    responder.ok(statement.updateCount(), statement.lastInsertId(), backendStatus(backend));
                }
            } while (statement.nextResult());
        } catch (ClientGoneException e) {
            // Abort before the statement is closed: closing a streaming result reads it to its end.
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
            if (statement != null) {
                statement.closeQuietly();
            }
        }
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
        if (wanted != null && !wanted.equals(backend.jdbc().getCatalog())) {
            backend.jdbc().setCatalog(wanted);
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

    /** Resets and returns every pinned backend connection. Runs after the session's last command. */
    @Override
    public void close() {
        pinned.values().forEach(BackendConnection::close);
        pinned.clear();
    }
}
