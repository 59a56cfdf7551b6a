package io.shardwire.proxy.backend;

import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.result.Field;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A statement prepared on a backend with the server-side protocol (COM_STMT_PREPARE), so its
 * parameter count and result columns are the server's own and its rows come back in the binary
 * protocol, which the proxy forwards unchanged. Rows are streamed.
 *
 * <p>Not thread-safe: owned by one session, used by one command at a time.
 */
public final class BackendPreparedStatement extends BackendExecution {

    private static final Logger log = LoggerFactory.getLogger(BackendPreparedStatement.class);

    private final BackendConnection connection;
    private final PreparedStatement prepared;

    private BackendPreparedStatement(BackendConnection connection, PreparedStatement prepared) {
        super(prepared);
        this.connection = connection;
        this.prepared = prepared;
    }

    /** Prepares {@code sql} on the backend, its results to be streamed. */
    public static BackendPreparedStatement prepare(BackendConnection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.jdbc().unwrap(JdbcConnection.class).serverPrepareStatement(sql);
        // Set once here, not per execute: the statement keeps it, and each call takes the connection's lock.
        statement.setFetchSize(Integer.MIN_VALUE);
        return new BackendPreparedStatement(connection, statement);
    }

    /** The connection it was prepared on; a statement is only valid there. */
    public BackendConnection connection() {
        return connection;
    }

    /** The number of {@code ?} placeholders. */
    public int parameterCount() throws SQLException {
        return prepared.getParameterMetaData().getParameterCount();
    }

    /** The result's columns as the server described them at prepare time; empty when it returns no rows. */
    public Field[] columns() throws SQLException {
        ResultSetMetaData metaData = prepared.getMetaData();
        return metaData == null ? new Field[0]
                : metaData.unwrap(com.mysql.cj.jdbc.result.ResultSetMetaData.class).getFields();
    }

    /**
     * Binds the values (Java types as {@code MySQLBinaryParameters} decodes them; null is SQL NULL)
     * and executes, with rows streamed.
     */
    public void execute(List<?> parameters) throws SQLException {
        bind(prepared, parameters);
        resultSet = prepared.execute();
    }

    /**
     * Binds values as {@code MySQLBinaryParameters} decodes them (null is SQL NULL) to a JDBC
     * statement's placeholders.
     */
    static void bind(PreparedStatement statement, List<?> parameters) throws SQLException {
        statement.clearParameters();
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.get(i);
            if (value == null) {
                statement.setNull(i + 1, Types.NULL);
            } else if (value instanceof BigInteger unsigned) {
                // Connector/J would bind it as a signed LONGLONG; as DECIMAL the server converts it exactly.
                statement.setBigDecimal(i + 1, new BigDecimal(unsigned));
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }

    /** Closes what is left of the last result (a streaming result is read to its end). */
    public void closeResult() {
        try {
            ResultSet rows = statement.getResultSet();
            if (rows != null) {
                rows.close();
            }
        } catch (SQLException e) {
            log.debug("closing a prepared statement's result failed", e);
        }
    }

    /** Deallocates the statement on the backend. */
    public void close() {
        try {
            statement.close();
        } catch (SQLException e) {
            log.debug("closing a backend prepared statement failed", e);
        }
    }
}
