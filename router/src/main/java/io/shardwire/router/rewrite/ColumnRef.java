package io.shardwire.router.rewrite;

/**
 * A column of the rows each node returns for a rewritten SELECT, located before the column count
 * is known (a {@code *} expands to however many columns the tables have).
 */
public sealed interface ColumnRef {

    /** Its 0-based index in rows of {@code totalColumns} columns, the last {@code derivedColumns} of them derived. */
    int resolve(int totalColumns, int derivedColumns);

    /**
     * A select item before any {@code *}.
     *
     * @param index its 0-based position
     */
    record Item(int index) implements ColumnRef {
        @Override
        public int resolve(int totalColumns, int derivedColumns) {
            return index;
        }
    }

    /**
     * A column the rewrite appended.
     *
     * @param ordinal its 0-based position among the appended columns
     */
    record Derived(int ordinal) implements ColumnRef {
        @Override
        public int resolve(int totalColumns, int derivedColumns) {
            return totalColumns - derivedColumns + ordinal;
        }
    }
}
