package io.shardwire.proxy.xa;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The table, on every shard group primary, where a cross-group transaction's first (plain) branch
 * writes a row naming its gtrid before it commits. The row commits or vanishes with that branch, so
 * after a crash "does the marker exist?" answers "did the first branch commit?". The proxy creates
 * the table at start (outside every schema's databases, so change capture never sees it) and
 * deletes a marker once all of its transaction's branches have ended ({@link MarkerSweep}).
 */
final class CommitMarkers {

    static final String CREATE_DATABASE = "CREATE DATABASE IF NOT EXISTS shardwire_xa";
    static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS shardwire_xa.commit_markers"
            + " (gtrid VARCHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY) ENGINE=InnoDB";

    private CommitMarkers() {
    }

    static String insert(String gtrid) {
        return "INSERT INTO shardwire_xa.commit_markers (gtrid) VALUES (" + Xid.quote(gtrid) + ")";
    }

    /**
     * A locking read: if the first branch's COMMIT is still in flight on the server (its session
     * holds the new row's lock), this waits for it instead of reading "absent" too early.
     */
    static String exists(String gtrid) {
        return "SELECT 1 FROM shardwire_xa.commit_markers WHERE gtrid = " + Xid.quote(gtrid) + " FOR UPDATE";
    }

    /** Deletes the markers of finished transactions: a sweep's batch, or the one recovery settled. */
    static String delete(List<String> gtrids) {
        return "DELETE FROM shardwire_xa.commit_markers WHERE gtrid IN ("
                + gtrids.stream().map(Xid::quote).collect(Collectors.joining(", ")) + ")";
    }
}
