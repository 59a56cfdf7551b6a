package io.shardwire.proxy.backend;

import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.protocol.ServerSession;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pooled connection to a shard group's primary, pinned by a session. The session's state on
 * the server (variables, transaction, temporary tables) lives on it, so it is reset before it goes
 * back to the pool, and thrown away when that is not possible.
 *
 * <p>Statements are kept for reuse while the connection is held: creating a Connector/J statement reads some
 * twenty connection properties, which cost a transaction's statements (its BEGIN or XA START, reads over several
 * nodes, XA END, COMMIT) more CPU than sending them did.
 *
 * <p>Not thread-safe: owned by one session.
 */
public final class BackendConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackendConnection.class);

    /** Streaming read statements kept per connection, by database and text; the least recently used goes first. */
    static final int MAX_READ_STATEMENTS = 16;

    private final String group;
    private final String address;
    private final Connection connection;
    private final HikariDataSource pool;
    private final Runnable onRelease;
    private boolean released;
    /** Set, from another thread, once a KILL QUERY was sent for a statement on it. */
    private volatile boolean killSent;
    private String catalog;
    /** The statement {@link #run} reuses, and the database it was made in (Connector/J runs it there). */
    private Statement quiet;
    private String quietCatalog;
    /**
     * Where Connector/J keeps the last response's status, found once: sessions read it after every statement (and
     * at every native execute), and unwrapping the pool's proxy down to it each time was ~1.4% of the samples of a
     * point select. It is the same object for the connection's life: made at its handshake, and the pools never
     * reconnect a connection.
     */
    private ServerSession serverSession;
    /** Idle streaming read statements by {@link #readKey}; one in use is out of the map until given back. */
    private final Map<String, Statement> reads = new LinkedHashMap<>(16, 0.75f, true);

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

    /** The server's id of this connection ({@code CONNECTION_ID()}): InnoDB names a transaction's owner by it. */
    public long serverThreadId() throws SQLException {
        return connection.unwrap(JdbcConnection.class).getId();
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

    /**
     * Runs a statement whose result nobody reads (transaction control, a session SET) on a statement the
     * connection keeps for that. Connector/J runs a statement in the database it was made in, so a new one is
     * made when the connection's database changed.
     */
    public void run(String sql) throws SQLException {
        if (quiet == null || !Objects.equals(quietCatalog, catalog)) {
            closeQuietly(quiet);
            quiet = null;
            quiet = connection.createStatement();
            quietCatalog = catalog;
        }
        quiet.execute(sql);
    }

    /**
     * A statement, ready to stream the rows of {@code sql} (a read; a prepared statement with the text protocol if
     * {@code prepared}), taken from those the connection keeps or made; give it back with {@link #giveBack}.
     */
    Statement readStatement(String sql, boolean prepared) throws SQLException {
        Statement kept = reads.remove(readKey(sql, prepared));
        return kept != null ? kept : streamingStatement(sql, prepared);
    }

    /**
     * A new statement that streams its rows, with no escape processing; with {@code prepared}, a client-side
     * prepared statement of {@code sql} (Connector/J writes the values into the text, so the text protocol applies).
     */
    Statement streamingStatement(String sql, boolean prepared) throws SQLException {
        Statement statement = prepared
                ? connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)
                : connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        try {
            statement.setFetchSize(Integer.MIN_VALUE);
            statement.setEscapeProcessing(false);
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
        return statement;
    }

    /**
     * Ends the use of a statement from {@link #readStatement}: its result is closed (a streaming result is read to
     * its end) and the statement kept for the next read of the same text, or closed if the connection was released
     * or the result could not be closed.
     */
    void giveBack(Statement statement, String sql, boolean prepared) {
        if (released) {
            closeQuietly(statement);
            return;
        }
        try {
            ResultSet rows = statement.getResultSet();
            if (rows != null) {
                rows.close();
            }
        } catch (SQLException e) {
            log.debug("closing a read's result on {} failed; closing its statement", address, e);
            closeQuietly(statement);
            return;
        }
        Statement replaced = reads.put(readKey(sql, prepared), statement);
        if (replaced != statement) {
            closeQuietly(replaced);
        }
        if (reads.size() > MAX_READ_STATEMENTS) {
            Iterator<Statement> eldest = reads.values().iterator();
            closeQuietly(eldest.next());
            eldest.remove();
        }
    }

    /** The key of a kept read statement: Connector/J runs a statement in the database it was made in. */
    private String readKey(String sql, boolean prepared) {
        return (prepared ? 'P' : 'S') + Objects.toString(catalog, "") + '\0' + (prepared ? sql : "");
    }

    /** Closes the statements kept for reuse (client-side only: nothing is sent to the server). */
    private void closeKept() {
        List<Statement> kept = new ArrayList<>(reads.values());
        reads.clear();
        kept.add(quiet);
        quiet = null;
        kept.forEach(BackendConnection::closeQuietly);
    }

    private static void closeQuietly(Statement statement) {
        if (statement == null) {
            return;
        }
        try {
            statement.close();
        } catch (SQLException e) {
            log.debug("closing a kept backend statement failed", e);
        }
    }

    /** The server status flags of the last response on this connection (in transaction, autocommit). */
    public int serverStatusFlags() throws SQLException {
        if (serverSession == null) {
            serverSession = connection.unwrap(JdbcConnection.class).getSession().getServerSession();
        }
        return serverSession.getStatusFlags();
    }

    /**
     * Notes that a KILL QUERY was sent for a statement on this connection. One that reaches the server after the
     * statement ended stops the connection's next statement, so the connection is closed at its release, never
     * pooled for another session. Safe from any thread.
     */
    public void killSent() {
        killSent = true;
    }

    /**
     * Cuts the connection at once, without reading what the server still sends, and removes it
     * from the pool. Used when the client disappears in the middle of a large result, and at the release of a
     * connection a KILL QUERY was sent for.
     */
    public void abort() {
        if (released) {
            return;
        }
        released = true;
        onRelease.run();
        // Its statements go with it: closing one could read what the server still sends.
        reads.clear();
        quiet = null;
        try {
            connection.unwrap(JdbcConnection.class).abortInternal();
        } catch (SQLException e) {
            log.debug("aborting a connection to {} failed", address, e);
        }
        pool.evictConnection(connection);
    }

    /** Whether the connection went back to the pool or was aborted: its holder must not use it again. */
    public boolean released() {
        return released;
    }

    /**
     * Resets the server-side session state (COM_RESET_CONNECTION / change user: rolls back, clears
     * variables and temporary tables) and returns the connection to the pool; evicts it if the reset fails, and
     * aborts it if a KILL QUERY was sent for it ({@link #killSent}).
     */
    @Override
    public void close() {
        if (killSent) {
            abort();
            return;
        }
        if (released) {
            return;
        }
        released = true;
        onRelease.run();
        closeKept();
        try {
            connection.unwrap(JdbcConnection.class).resetServerState();
            connection.close();
        } catch (SQLException e) {
            log.debug("resetting a connection to {} failed; evicting it", address, e);
            pool.evictConnection(connection);
        }
    }
}
