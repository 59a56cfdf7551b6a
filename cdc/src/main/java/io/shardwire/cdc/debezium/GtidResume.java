package io.shardwire.cdc.debezium;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shardwire.cdc.source.CaptureRefusedException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Resuming a group's capture on its new primary after a failover, by GTID.
 *
 * <p>Debezium's offset holds the GTID position of the last transaction it completed ({@code gtids}, e.g.
 * {@code 0-100-234}: domain, id of the server that first wrote it, sequence). A promoted replica holds the same
 * transactions under the same GTIDs (replicated with {@code log_slave_updates}), and MariaDB resumes a binlog reader
 * from {@code 0-100-234} there as on the old primary. But Debezium first checks the offset against the server's
 * {@code gtid_binlog_pos}, which names only the last writer per domain ({@code 0-101-335} once the replica took
 * writes): it finds no stream of server 100 there and refuses to start ("no longer available on the server").
 * Starting by binlog file and position instead is no way out: the connector then registers an empty GTID set, on
 * which the binlog client fails against MariaDB.
 *
 * <p>So when {@code gtid_binlog_pos} does not cover the offset, this looks the offset's GTID up in the server's own
 * binlogs ({@code SHOW BINLOG EVENTS}); if it is there, the capture tells its connector task
 * ({@link GtidResumingMariaDbConnectorTask}) to skip Debezium's check, and the connector resumes by that GTID, then
 * skips within the next transaction as many events as the offset says, exactly as on the old primary. An offset
 * whose GTID the server does not hold (it never received that transaction: the failover lost it, or it was purged)
 * is refused, as are offsets over several GTID domains. So is an offset inside a transaction ({@code
 * transaction_id}, the queue holding its first events) the server does not hold: a binlog reader gets a transaction
 * as soon as the old primary wrote it to its binlog, before any (semi-synchronous) replica may have it, and a
 * {@code kill -9} then leaves the queue with a transaction the promoted replica never got. Resuming would skip as
 * many events of the server's own next transaction, which has nothing to do with it: a change lost, silently.
 *
 * <p>Stateless; called once per capture start.
 */
final class GtidResume {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern GTID = Pattern.compile("(\\d+)-(\\d+)-(\\d+)");

    private GtidResume() {
    }

    /**
     * @param server     a connection to the server the capture is about to read, as the capture account
     * @param stored     the position stored in the queue
     * @param serverName names the server in messages
     * @return true if Debezium's own check would refuse the position although the server's binlog holds its GTID:
     *     the connector must skip that check; false if the check passes (or the offset has no GTID)
     * @throws CaptureRefusedException if the server's binlog does not hold the offset's GTID, or the transaction the
     *     offset is inside of
     * @throws SQLException            if the server cannot be asked
     */
    static boolean needsCheckSkipped(Connection server, CapturePosition stored, String serverName)
            throws SQLException {
        ObjectNode offset = offsetValue(stored);
        String gtids = offset.path("gtids").asText("");
        if (gtids.isBlank()) {
            return false;
        }
        String[] parts = gtids.trim().split("\\s*,\\s*");
        Optional<String> started = startedTransaction(offset);
        String position = binlogPosition(server);
        // A GTID another server wrote, covered by this one's position: a replica promoted before it wrote anything
        // of its own. Debezium's check still refuses that offset (its binlog file and position are the old
        // primary's), so it is found in this binlog and the check skipped, as after the first own write.
        boolean startedHere = started.isEmpty()
                || (covers(position, started.get()) && !writtenElsewhere(server, started.get()));
        if (covers(position, gtids) && !(parts.length == 1 && writtenElsewhere(server, parts[0])) && startedHere) {
            return false;
        }
        if (parts.length != 1 || !GTID.matcher(parts[0]).matches()) {
            throw new CaptureRefusedException("change capture cannot resume on " + serverName + " from GTID position "
                    + gtids + ": its gtid_binlog_pos does not cover it, and a position over several GTID domains is"
                    + " not supported (expected: one domain per shard group)");
        }
        if (!inBinlog(server, parts[0])) {
            throw new CaptureRefusedException("change capture cannot resume on " + serverName + ": the queue holds"
                    + " changes up to GTID " + parts[0] + ", which is not in this server's binlogs (it never"
                    + " received that transaction, or purged it); resuming would lose changes or make them up");
        }
        // The queue holds the first events of the next transaction: the connector resumes after parts[0] and skips
        // that many events of whatever comes next here, which is that transaction only if this server has it.
        if (started.isPresent() && !inBinlog(server, started.get())) {
            throw new CaptureRefusedException("change capture cannot resume on " + serverName + ": the queue holds"
                    + " changes of GTID " + started.get() + ", which is not in this server's binlogs (the old primary"
                    + " wrote it to its binlog, where the capture read it, but no replica received it before the"
                    + " failover); resuming would skip this server's next transaction in its place");
        }
        return true;
    }

    /**
     * The transaction the offset is inside of: Debezium names it ({@code transaction_id}) with the events and rows of
     * it already read ({@code event}, {@code row}), which a resume skips; empty at a transaction boundary.
     */
    private static Optional<String> startedTransaction(ObjectNode offset) {
        String transaction = offset.path("transaction_id").asText("");
        boolean inside = offset.path("event").asLong(0) > 0 || offset.path("row").asLong(0) > 0;
        return inside && GTID.matcher(transaction).matches() ? Optional.of(transaction) : Optional.empty();
    }

    /** Whether a GTID was written by a server other than this one ({@code @@server_id}). */
    private static boolean writtenElsewhere(Connection server, String gtid) throws SQLException {
        var parsed = GTID.matcher(gtid);
        if (!parsed.matches()) {
            return false;
        }
        try (Statement statement = server.createStatement();
             ResultSet row = statement.executeQuery("SELECT @@GLOBAL.server_id")) {
            row.next();
            return row.getLong(1) != Long.parseLong(parsed.group(2));
        }
    }

    private static ObjectNode offsetValue(CapturePosition stored) {
        try {
            if (MAPPER.readTree(stored.resumeOffset().value()) instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("stored offset is not JSON: " + stored.resumeOffset(), e);
        }
        throw new IllegalArgumentException("stored offset: " + stored.resumeOffset() + " (expected: a JSON object)");
    }

    /** As Debezium checks it: each GTID's (domain, server) stream is in the server's position, at least as far. */
    static boolean covers(String serverPosition, String gtids) {
        Map<String, Long> server = new HashMap<>();
        for (String each : serverPosition.split(",")) {
            var gtid = GTID.matcher(each.trim());
            if (gtid.matches()) {
                server.put(gtid.group(1) + "-" + gtid.group(2), Long.parseLong(gtid.group(3)));
            }
        }
        for (String each : gtids.split(",")) {
            var gtid = GTID.matcher(each.trim());
            if (!gtid.matches()) {
                return false;
            }
            Long sequence = server.get(gtid.group(1) + "-" + gtid.group(2));
            if (sequence == null || sequence < Long.parseLong(gtid.group(3))) {
                return false;
            }
        }
        return true;
    }

    private static String binlogPosition(Connection server) throws SQLException {
        try (Statement statement = server.createStatement();
             ResultSet row = statement.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
            row.next();
            String position = row.getString(1);
            return position == null ? "" : position;
        }
    }

    /** Whether one of the server's binlogs holds the transaction {@code gtid}. */
    private static boolean inBinlog(Connection server, String gtid) throws SQLException {
        Pattern event = Pattern.compile("(^|\\s)GTID " + Pattern.quote(gtid) + "(\\s|$)");
        for (String file : binlogFiles(server)) {
            try (Statement statement = server.createStatement();
                 ResultSet rows = statement.executeQuery("SHOW BINLOG EVENTS IN '" + file.replace("'", "''") + "'")) {
                while (rows.next()) {
                    if ("Gtid".equalsIgnoreCase(rows.getString("Event_type"))
                            && event.matcher(rows.getString("Info")).find()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<String> binlogFiles(Connection server) throws SQLException {
        List<String> files = new ArrayList<>();
        try (Statement statement = server.createStatement();
             ResultSet rows = statement.executeQuery("SHOW BINARY LOGS")) {
            while (rows.next()) {
                files.add(rows.getString(1));
            }
        }
        return files;
    }
}
