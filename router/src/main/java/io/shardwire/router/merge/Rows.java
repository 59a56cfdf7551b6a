package io.shardwire.router.merge;

import java.util.Comparator;
import java.util.List;

/** Row helpers shared by the merged results: copying the current row, comparing rows on key columns. */
final class Rows {

    private Rows() {
    }

    /** The current row of {@code cursor}, copied so it outlives the cursor's next move. */
    static byte[][] copy(RowCursor cursor, int columns) {
        byte[][] row = new byte[columns][];
        for (int i = 0; i < columns; i++) {
            byte[] v = cursor.value(i);
            row[i] = v == null ? null : v.clone();
        }
        return row;
    }

    /** A row cursor over a held row, so aggregation units can read held rows and live ones alike. */
    static RowCursor of(byte[][] row) {
        return new RowCursor() {
            @Override
            public boolean next() {
                throw new UnsupportedOperationException("a single held row");
            }

            @Override
            public byte[] value(int column) {
                return row[column];
            }
        };
    }

    /**
     * One sort or group key.
     *
     * @param column     its 0-based column
     * @param descending DESC
     * @param order      the column's value order, NULL first
     */
    record Key(int column, boolean descending, Comparator<byte[]> order) {

        static Key of(int column, boolean descending, List<ResultColumn> columns) {
            return new Key(column, descending, ValueOrder.of(columns.get(column)));
        }

        int compare(RowCursor a, RowCursor b) {
            int c = order.compare(a.value(column), b.value(column));
            return descending ? -c : c;
        }
    }

    /** Compares two rows on keys, in order. */
    static int compare(List<Key> keys, RowCursor a, RowCursor b) {
        for (Key key : keys) {
            int c = key.compare(a, b);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
