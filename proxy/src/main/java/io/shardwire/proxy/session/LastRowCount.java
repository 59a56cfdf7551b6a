package io.shardwire.proxy.session;

/**
 * What {@code ROW_COUNT()} answers for the session: the affected rows of its last statement's OK, -1 after a result
 * set, as MariaDB keeps it per connection. A backend would answer for its own connection, which the last statement may
 * not have used (another group, several nodes, a scatter or native connection). The frontend records each answer it
 * sends; the session's functions read it. Safe across the event loop and the session's worker, which answer in turn.
 */
public final class LastRowCount {

    private volatile long rowCount = -1;

    /** The last statement answered OK with this many affected rows. */
    public void ok(long affectedRows) {
        rowCount = affectedRows;
    }

    /** The last statement answered with a result set, or failed. */
    public void rows() {
        rowCount = -1;
    }

    long get() {
        return rowCount;
    }
}
