package io.shardwire.router.merge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** In-memory node results and column definitions for merge tests. */
final class TestResults {

    static final int UTF8MB4_GENERAL_CI = 45;
    static final int UTF8MB4_BIN = 46;

    private TestResults() {
    }

    static ResultColumn bigint(String name) {
        return new ResultColumn(name, MySQLType.LONGLONG.id(), 0, 0, 63, 20);
    }

    static ResultColumn unsignedBigint(String name) {
        return new ResultColumn(name, MySQLType.LONGLONG.id(), ColumnFlag.UNSIGNED.mask(), 0, 63, 20);
    }

    static ResultColumn integer(String name) {
        return new ResultColumn(name, MySQLType.LONG.id(), 0, 0, 63, 11);
    }

    static ResultColumn decimal(String name, int decimals) {
        return new ResultColumn(name, MySQLType.NEWDECIMAL.id(), 0, decimals, 63, 20);
    }

    static ResultColumn dbl(String name) {
        return new ResultColumn(name, MySQLType.DOUBLE.id(), 0, 31, 63, 22);
    }

    static ResultColumn varchar(String name, int collation) {
        return new ResultColumn(name, MySQLType.VAR_STRING.id(), 0, 0, collation, 80);
    }

    static ResultColumn date(String name) {
        return new ResultColumn(name, MySQLType.DATE.id(), 0, 0, 63, 10);
    }

    /** A node result: rows of text values, null for SQL NULL. */
    static RowCursor node(String[]... rows) {
        return new RowCursor() {
            private int row = -1;

            @Override
            public boolean next() {
                row++;
                return row < rows.length;
            }

            @Override
            public byte[] value(int column) {
                if (row < 0 || row >= rows.length) {
                    throw new IllegalStateException("no current row");
                }
                String v = rows[row][column];
                return v == null ? null : v.getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    static String[] row(String... values) {
        return values;
    }

    /** Every row of a merged result, values as text ("NULL" for SQL NULL). */
    static List<List<String>> drain(MergedResult result) {
        List<List<String>> rows = new ArrayList<>();
        while (result.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 0; i < result.columns().size(); i++) {
                byte[] v = result.value(i);
                row.add(v == null ? "NULL" : new String(v, StandardCharsets.UTF_8));
            }
            rows.add(row);
        }
        return rows;
    }

    static List<String> list(String... values) {
        return Arrays.asList(values);
    }
}
