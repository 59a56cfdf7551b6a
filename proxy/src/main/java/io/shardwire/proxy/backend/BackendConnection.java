package io.shardwire.proxy.backend;

import com.mysql.cj.jdbc.JdbcConnection;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pooled connection to a shard group's primary, pinned by a session. The session's state on
 * the server (variables, transaction, temporary tables) lives on it, so it is reset before it goes
 * back to the pool, and thrown away when that is not possible.
 *
 * <p>Not thread-safe: owned by one session.
 */
public final class BackendConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackendConnection.class);

    private final String group;
    private final String address;
    private final Connection connection;
    private final HikariDataSource pool;
    private final Runnable onRelease;
    private boolean released;
    private String catalog;

    BackendConnection(String group, String address, Connection connection, HikariDataSource pool) {
        this(group, address, connection, pool, () -> { });
    }

    /** @param onRelease runs once when the connection goes back to the pool or is aborted */
    BackendConnection(String group, String address, Connection connection, HikariDataSource pool, Runnable onRelease) {
        this.group = group;
        this.address = address;
        this.connection = connection;
        this.pool = pool;
        this.onRelease = onRelease;
    }

    /** The shard group this connection serves. */
    public String group() {
        return group;
    }

    /** {@code host:port} of the server, for messages. */
    public String address() {
        return address;
    }

    /** The pool it came from. */
    HikariDataSource pool() {
        return pool;
    }

    /** The JDBC connection. */
    public Connection jdbc() {
        return connection;
    }

    /**
     * Makes {@code catalog} the connection's current database. Remembers it, since asking Connector/J
     * would cost a round trip per statement; the proxy answers USE itself, so nothing else changes it.
     */
    public void useCatalog(String catalog) throws SQLException {
        if (!catalog.equals(this.catalog)) {
            connection.setCatalog(catalog);
            this.catalog = catalog;
        }
    }

    /** The server status flags of the last response on this connection (in transaction, autocommit). */
    public int serverStatusFlags() throws SQLException {
        return connection.unwrap(JdbcConnection.class).getSession().getServerSession().getStatusFlags();
    }

    /**
     * Cuts the connection at once, without reading what the server still sends, and removes it
     * from the pool. Used when the client disappears in the middle of a large result.
     */
    public void abort() {
        if (released) {
            return;
        }
        released = true;
        onRelease.run();
        try {
            connection.unwrap(JdbcConnection.class).abortInternal();
        } catch (SQLException e) {
            log.debug("aborting a connection to {} failed", address, e);
        }
        pool.evictConnection(connection);
    }

    /**
     * Resets the server-side session state (COM_RESET_CONNECTION / change user: rolls back, clears
     * variables and temporary tables) and returns the connection to the pool; evicts it if the reset fails.
     */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        onRelease.run();
        try {
            connection.unwrap(JdbcConnection.class).resetServerState();
            connection.close();
        } catch (SQLException e) {
            log.debug("resetting a connection to {} failed; evicting it", address, e);
            pool.evictConnection(connection);
        }
    }
}
