package io.shardwire.proxy.backend;

import com.mysql.cj.result.Field;
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

    private BackendStatement(Statement statement, String sql) {
        super(statement);
        this.sql = sql;
    }

    /**
     * A statement on the connection, ready to run {@code sql} with its rows streamed. With
     * parameters it is a client-side prepared statement: Connector/J writes the values into the
     * text (the pools do not use server-side statements), so the text protocol still applies.
     */
    public static BackendStatement open(BackendConnection connection, String sql, List<?> parameters) throws SQLException {
        Statement statement = parameters.isEmpty()
                ? connection.jdbc().createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)
                : connection.jdbc().prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        try {
            statement.setFetchSize(Integer.MIN_VALUE);
            statement.setEscapeProcessing(false);
            if (statement instanceof PreparedStatement prepared) {
                BackendPreparedStatement.bind(prepared, parameters);
            }
            return new BackendStatement(statement, sql);
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
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

    /** Whether the exception means the connection itself is gone (SQLSTATE class 08). */
    public static boolean isConnectionLost(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    /**
     * Closes the statement. On a live connection this reads what is left of a streaming result;
     * abort the connection first when the rest is not wanted.
     */
    public void closeQuietly() {
        try {
            statement.close();
        } catch (SQLException e) {
            log.debug("closing a backend statement failed", e);
        }
    }
}
