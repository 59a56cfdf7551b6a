package io.shardwire.cdc.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic change event ids: 32 hex digits (128 bits of SHA-256) of what identifies the change in its source,
 * so that capturing the same change again, after a restart or on the group's next primary, yields the same id.
 *
 * <ul>
 *   <li>A change in a transaction: group, transaction id (the GTID) and the event's place in the transaction. GTIDs
 *       survive failover (a replica keeps the original GTID), binlog file names and positions do not.</li>
 *   <li>A snapshot read: group, the snapshot's binlog starting point, physical table and primary key (the whole row
 *       for a table without one). A snapshot taken again (after a crash during the first) starts at another point
 *       and so yields other ids: the two reads can show different rows and are both real.</li>
 *   <li>A schema change: group, the DDL's GTID and the logical table.</li>
 * </ul>
 */
public final class EventId {

    private static final HexFormat HEX = HexFormat.of();

    private EventId() {
    }

    /**
     * @param group         the shard group
     * @param transactionId the transaction's id, its GTID
     * @param totalOrder    the event's place in the transaction, from 1
     * @return the id of a change read from the binlog
     */
    public static String ofBinlogChange(String group, String transactionId, long totalOrder) {
        return hash("binlog", group, transactionId, Long.toString(totalOrder));
    }

    /**
     * @param group          the shard group
     * @param binlogFile     the binlog file: for a snapshot read, the snapshot's starting point
     * @param binlogPosition the position in it
     * @param database       the physical database
     * @param table          the physical table
     * @param keyJson        the primary key as JSON, or for a table without one the whole row
     * @return the id of a row read by a snapshot, or of a change without transaction metadata
     */
    public static String ofRowAtPosition(String group, String binlogFile, long binlogPosition, String database,
            String table, String keyJson) {
        return hash("row", group, binlogFile, Long.toString(binlogPosition), database, table, keyJson);
    }

    /**
     * @param group       the shard group
     * @param gtidOrPlace the DDL's GTID, or its binlog {@code file:position} if it has none
     * @param logical     the logical table whose structure changed
     * @return the id of a schema change
     */
    public static String ofSchemaChange(String group, String gtidOrPlace, LogicalTable logical) {
        return hash("schema", group, gtidOrPlace, logical.schema(), logical.table());
    }

    private static String hash(String... parts) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256, which every JDK must provide, is missing", e);
        }
        for (String part : parts) {
            digest.update(part.getBytes(StandardCharsets.UTF_8));
            // A separator no name contains, so that ("ab", "c") and ("a", "bc") hash differently.
            digest.update((byte) 0);
        }
        byte[] sum = digest.digest();
        return HEX.formatHex(sum, 0, 16);
    }
}
