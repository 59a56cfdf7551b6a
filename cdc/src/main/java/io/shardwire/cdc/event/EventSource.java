package io.shardwire.cdc.event;

import java.util.Optional;

/**
 * Where a change event came from: the shard group, the physical database and table (the data node), and its place
 * in that group primary's binlog.
 *
 * @param group          the shard group, e.g. {@code g0}
 * @param database       the physical database
 * @param table          the physical table
 * @param serverId       the {@code server_id} of the server that wrote the change (it survives failover with the
 *                       GTID)
 * @param gtid           the GTID of the source transaction, e.g. {@code 0-100-42}; empty for snapshot rows
 * @param binlogFile     the binlog file of the change, or of the snapshot's starting point
 * @param binlogPosition the position of the row event in that file, or of the snapshot's starting point
 * @param row            the row's index within its binlog row event, from 0
 * @param snapshot       whether the event was read by the initial snapshot rather than from the binlog
 * @param tsMs           when the change was made on the source (binlog event time, second precision), ms since the
 *                       epoch; for a snapshot row, when it was read
 */
public record EventSource(String group, String database, String table, long serverId, Optional<String> gtid,
                          String binlogFile, long binlogPosition, int row, boolean snapshot, long tsMs) {

    /** Rejects missing names. */
    public EventSource {
        if (group == null || database == null || table == null || gtid == null || binlogFile == null) {
            throw new IllegalArgumentException("group, database, table, gtid, binlogFile: " + group + ", " + database
                    + ", " + table + ", " + gtid + ", " + binlogFile + " (expected: none null)");
        }
    }
}
