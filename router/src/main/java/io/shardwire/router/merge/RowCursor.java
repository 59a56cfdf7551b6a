package io.shardwire.router.merge;

/**
 * Rows of one result set in the MySQL text protocol: each value is the exact bytes the server sent,
 * or null for SQL NULL. A value is valid until the next call to {@link #next()}. The proxy
 * implements this over each data node's result; the merged results implement it over those.
 * Not thread-safe.
 */
public interface RowCursor {

    /** Moves to the next row; false when there is none. */
    boolean next();

    /** The raw text value of a column (0-based) of the current row, or null for SQL NULL. */
    byte[] value(int column);
}
