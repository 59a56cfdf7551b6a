package io.shardwire.proxy.session;

import com.mysql.cj.result.Field;
import io.shardwire.router.merge.MergedResult;
import java.sql.DataTruncation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * Where a session sends the outcome of one command. The frontend implements it by encoding MySQL
 * packets; one method is called per result (more than one result only for statements that
 * return several, such as CALL; the status flags then carry SERVER_MORE_RESULTS_EXISTS).
 */
public interface Responder {

    /** The command succeeded without rows. */
    void ok(long affectedRows, long lastInsertId, int statusFlags) throws ClientGoneException;

    /**
     * The command produced rows: streams them to the client as they are read, then ends the result
     * with the status the backend reported at the end of the rows (which says whether more results follow).
     */
    void rows(ResultSet resultSet, StatusFlags statusAtEnd) throws ClientGoneException, SQLException;

    /** The rows of a prepared statement's execution, in the binary protocol, as {@link #rows} does for text. */
    void binaryRows(ResultSet resultSet, StatusFlags statusAtEnd) throws ClientGoneException, SQLException;

    /**
     * {@link #binaryRows(ResultSet, StatusFlags)} of a result the caller already moved to its first row (read ahead, so
     * that a backend lost before that row left the read free to run elsewhere).
     *
     * @param onFirstRow what that first {@code next()} returned: false for a result without rows
     */
    void binaryRowsReadAhead(ResultSet resultSet, boolean onFirstRow, StatusFlags statusAtEnd)
            throws ClientGoneException, SQLException;

    /**
     * A statement was prepared.
     *
     * @param columns the result's columns as the backend described them; empty when it returns no rows
     */
    void prepared(long statementId, int parameterCount, Field[] columns) throws ClientGoneException;

    /** COM_FIELD_LIST: the columns of a table, as definitions only. */
    void fieldList(Field[] columns, int statusFlags) throws ClientGoneException;

    /** COM_SET_OPTION accepted: an EOF packet. */
    void optionSet(int statusFlags) throws ClientGoneException;

    /** COM_STATISTICS: one human-readable line, as a bare string packet. */
    void statistics(String line) throws ClientGoneException;

    /**
     * Rows merged from several data nodes (or one, through the merge engine): the first
     * {@code rows.columns().size()} of {@code fields} describe them. Sent in the binary protocol
     * (for a prepared statement) or as text.
     */
    void mergedRows(Field[] fields, MergedResult rows, int statusFlags, boolean binary) throws ClientGoneException;

    /** A small result the proxy answers itself (EXPLAIN SHARDWIRE): string columns, string values. */
    void rows(List<String> columnNames, List<List<String>> values, int statusFlags) throws ClientGoneException;

    /**
     * Rows the proxy assembled from backends' text rows (SHOW INDEX of every data node, renamed): the backend's column
     * definitions, so that clients read each column as its type (a number as a number), and the values as text.
     */
    void rows(Field[] columns, List<List<String>> values, int statusFlags) throws ClientGoneException;

    /** {@link #rows(List, List, int)} for a prepared statement's execute: the same columns, rows in the binary protocol. */
    void binaryRows(List<String> columnNames, List<List<String>> values, int statusFlags) throws ClientGoneException;

    /** A list of single-column string rows the proxy itself answers (e.g. SHOW DATABASES). */
    void rows(String columnName, Iterable<String> values, int statusFlags) throws ClientGoneException;

    /**
     * The statement was planned into this many data node statements (0 when the proxy answers it itself); told
     * once per planned statement, before its outcome, for the route fan-out metric.
     */
    default void routed(int dataNodes) {
    }

    /** Whether {@link #relayNatively} may answer a read: the frontend has a native path. */
    default boolean relaysNatively() {
        return false;
    }

    /**
     * Answers a read over the frontend's own connection to the backend ({@link Session.NativeRead}), forwarding the
     * backend's response as it comes; returns once the read is answered, or the client left. Only where
     * {@link #relaysNatively}.
     *
     * @return false when nothing reached the client and the caller must run the read; the read's replica, if any, has
     *         been ended either way
     */
    default boolean relayNatively(Session.NativeRead read) {
        throw new UnsupportedOperationException("no native path");
    }

    /** The command failed with a MySQL error. */
    void error(int errorCode, String sqlState, String message) throws ClientGoneException;

    /**
     * The command failed with a backend's error, as the backend sent it. Connector/J puts "Data truncation: " before
     * the server's text of a truncation error; the client's own driver adds it again, so it is taken off here.
     */
    default void error(SQLException backendError) throws ClientGoneException {
        String message = backendError.getMessage();
        if (backendError instanceof DataTruncation && message != null && message.startsWith(DATA_TRUNCATION_PREFIX)) {
            message = message.substring(DATA_TRUNCATION_PREFIX.length());
        }
        error(backendError.getErrorCode(), Objects.requireNonNullElse(backendError.getSQLState(), "HY000"), message);
    }

    /** What Connector/J's {@code MysqlDataTruncation} puts before the server's message. */
    String DATA_TRUNCATION_PREFIX = "Data truncation: ";

    /** Server status flags, read when they are needed. */
    @FunctionalInterface
    interface StatusFlags {
        int get() throws SQLException;
    }
}
