package io.shardwire.proxy.backend;

import com.mysql.cj.result.Field;
import io.shardwire.router.merge.ResultColumn;
import io.shardwire.router.merge.RowCursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One data node's text-protocol rows as the router's {@link RowCursor}: each value is the bytes
 * the backend sent. A backend failure while reading surfaces as {@link BackendReadException}, since
 * the cursor interface is the merge engine's and knows nothing of JDBC.
 *
 * <p>Not thread-safe.
 */
public final class NodeRows implements RowCursor {

    private final ResultSet resultSet;

    public NodeRows(ResultSet resultSet) {
        this.resultSet = resultSet;
    }

    @Override
    public boolean next() {
        try {
            return resultSet.next();
        } catch (SQLException e) {
            throw new BackendReadException(e);
        }
    }

    @Override
    public byte[] value(int column) {
        try {
            return resultSet.getBytes(column + 1);
        } catch (SQLException e) {
            throw new BackendReadException(e);
        }
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
