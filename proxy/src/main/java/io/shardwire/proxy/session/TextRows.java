package io.shardwire.proxy.session;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A small backend result read as text, for the metadata answers the proxy rewrites. */
final class TextRows {

    private TextRows() {
    }

    /**
     * The rows of {@code resultSet} as strings (null for NULL).
     *
     * @param columns filled with the column labels if it is empty
     */
    static List<List<String>> read(ResultSet resultSet, List<String> columns) throws SQLException {
        ResultSetMetaData meta = resultSet.getMetaData();
        int count = meta.getColumnCount();
        if (columns.isEmpty()) {
            for (int i = 1; i <= count; i++) {
                columns.add(meta.getColumnLabel(i));
            }
        }
        List<List<String>> rows = new ArrayList<>();
        while (resultSet.next()) {
            List<String> row = new ArrayList<>(count);
            for (int i = 1; i <= count; i++) {
                row.add(resultSet.getString(i));
            }
            rows.add(row);
        }
        return rows;
    }
}
