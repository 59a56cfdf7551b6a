package io.shardwire.proxy.backend;

import com.mysql.cj.result.Field;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One statement executed on a backend connection with the text protocol, its rows streamed
 * (fetch size {@code Integer.MIN_VALUE}: Connector/J reads rows from the socket as they are
 * asked for instead of buffering the result). Walks the statement's results in order.
 *
 * <p>Not thread-safe.
 */
public final class BackendStatement extends BackendExecution {

    private static final Logger log = LoggerFactory.getLogger(BackendStatement.class);

    private final String sql;
    /** The connection that keeps the statement for its next read, or null when the statement is closed after use. */
    private final BackendConnection keeper;
    /** Whether closed (or given back): a kept statement may already serve another read. */
    private boolean closed;

    private BackendStatement(Statement statement, String sql, BackendConnection keeper) {
        super(statement);
        this.sql = sql;
        this.keeper = keeper;
    }

    /**
     * A statement on the connection, ready to run {@code sql} with its rows streamed. With
     * parameters it is a client-side prepared statement: Connector/J writes the values into the
     * text (the pools do not use server-side statements), so the text protocol still applies.
     */
    public static BackendStatement open(BackendConnection connection, String sql, List<?> parameters) throws SQLException {
        Statement statement = connection.streamingStatement(sql, !parameters.isEmpty());
        try {
            if (statement instanceof PreparedStatement prepared) {
                BackendPreparedStatement.bind(prepared, parameters);
            }
            return new BackendStatement(statement, sql, null);
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    /**
     * A statement on the connection, ready to run the read {@code sql} (one result) with its rows streamed, as
     * {@link #open} makes it, but kept by the connection after {@link #closeQuietly} for the next read of the same
     * text there.
     */
    public static BackendStatement openRead(BackendConnection connection, String sql, List<?> parameters)
            throws SQLException {
        boolean prepared = !parameters.isEmpty();
        Statement statement = connection.readStatement(sql, prepared);
        BackendStatement read = new BackendStatement(statement, sql, connection);
        if (statement instanceof PreparedStatement preparedStatement) {
            try {
                BackendPreparedStatement.bind(preparedStatement, parameters);
            } catch (SQLException e) {
                read.closeQuietly();
                throw e;
            }
        }
        return read;
    }

    /** Runs the statement. */
    public void execute() throws SQLException {
        resultSet = statement instanceof PreparedStatement prepared ? prepared.execute() : statement.execute(sql);
    }

    /** Moves to the next result; false when there is none. */
    public boolean nextResult() throws SQLException {
        resultSet = statement.getMoreResults();
        return resultSet || statement.getLargeUpdateCount() != -1;
    }

    /** Connector/J's own field metadata of a result, which keeps the backend's type ids, flags and collations. */
    public static Field[] fieldsOf(ResultSet resultSet) throws SQLException {
        return resultSet.getMetaData().unwrap(com.mysql.cj.jdbc.result.ResultSetMetaData.class).getFields();
    }

    /**
     * Whether the exception means the connection itself is gone: SQLSTATE class 08, or a socket failure beneath it
     * (Connector/J reports one met while a streamed row is fetched as {@code S1000}, caused by the IOException).
     */
    public static boolean isConnectionLost(SQLException e) {
        if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
            return true;
        }
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Closes the statement, or gives it back to the connection that keeps it. On a live connection this reads what
     * is left of a streaming result; abort the connection first when the rest is not wanted.
     */
    public void closeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        if (keeper != null) {
            keeper.giveBack(statement, sql, statement instanceof PreparedStatement);
            return;
        }
        try {
            statement.close();
        } catch (SQLException e) {
            log.debug("closing a backend statement failed", e);
        }
    }
}
