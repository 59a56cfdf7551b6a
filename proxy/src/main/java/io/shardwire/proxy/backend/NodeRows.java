package io.shardwire.proxy.backend;

import com.mysql.cj.result.Field;
import io.shardwire.router.merge.ResultColumn;
import io.shardwire.router.merge.RowCursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One data node's text-protocol rows as the router's {@link RowCursor}: each value is the bytes
 * the backend sent. A backend failure while reading surfaces as {@link BackendReadException}, since
 * the cursor interface is the merge engine's and knows nothing of JDBC.
 *
 * <p>A value is read from the result set once per row and kept until the next row: the merge reads a
 * key column at every comparison and each column again to send it, and each Connector/J {@code getBytes}
 * copies the value.
 *
 * <p>Not thread-safe.
 */
public final class NodeRows implements RowCursor {

    /** Marks a column of the current row not read yet (null is SQL NULL). */
    private static final byte[] UNREAD = new byte[0];

    private final ResultSet resultSet;
    private final byte[][] row;
    /** Whether there is a row, when {@link #readAhead} moved to the one the next {@link #next} reports; else null. */
    private Boolean readAhead;

    /** @param columns the result's column count */
    public NodeRows(ResultSet resultSet, int columns) {
        this.resultSet = resultSet;
        this.row = new byte[columns][];
    }

    /**
     * Moves to the first row now rather than at the first {@link #next}, which then only reports it: a backend failure
     * there surfaces before anything of the answer is sent, while the read may still run elsewhere.
     */
    public void readAhead() {
        readAhead = next();
    }

    @Override
    public boolean next() {
        if (readAhead != null) {
            boolean hasRow = readAhead;
            readAhead = null;
            return hasRow;
        }
        Arrays.fill(row, UNREAD);
        try {
            return resultSet.next();
        } catch (SQLException e) {
            throw new BackendReadException(e);
        }
    }

    @Override
    public byte[] value(int column) {
        byte[] value = row[column];
        if (value != UNREAD) {
            return value;
        }
        try {
            value = resultSet.getBytes(column + 1);
        } catch (SQLException e) {
            throw new BackendReadException(e);
        }
        row[column] = value;
        return value;
    }

    /** The merge engine's view of a node's column definitions. */
    public static List<ResultColumn> columns(Field[] fields) {
        List<ResultColumn> columns = new ArrayList<>(fields.length);
        for (Field field : fields) {
            columns.add(new ResultColumn(field.getColumnLabel(), field.getMysqlTypeId(), field.getFlags() & 0xFFFF,
                    field.getDecimals(), field.getCollationIndex(), field.getLength()));
        }
        return columns;
    }

    /** A backend error met while the merge engine pulled rows; {@link #getCause()} is the SQLException. */
    public static final class BackendReadException extends RuntimeException {
        BackendReadException(SQLException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
