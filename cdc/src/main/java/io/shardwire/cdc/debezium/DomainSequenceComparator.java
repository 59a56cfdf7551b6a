package io.shardwire.cdc.debezium;

import io.debezium.document.Document;
import io.debezium.relational.history.HistoryRecord;
import io.debezium.relational.history.HistoryRecordComparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Orders schema history positions by GTID sequence within each GTID domain, whichever server wrote them.
 *
 * <p>Debezium's MariaDB comparator groups GTIDs by domain <em>and</em> server id: a history entry at {@code 0-100-5}
 * (recorded while the old primary, server 100, was read) is never "before" a stored position {@code 0-101-40} (written
 * by the promoted replica, server 101), so a capture restarted on the new primary recovered no table and failed on
 * its first row ("schema isn't known to this connector"). Within a replication topology the transactions of one
 * domain are totally ordered by sequence: a promoted replica numbers its own after the highest it applied. So when
 * both positions carry GTIDs over the same domains, a lower sequence in every domain is before; the same sequences
 * (one transaction, where events and snapshot flags decide) and positions without GTIDs are left to Debezium's
 * comparator.
 */
final class DomainSequenceComparator extends HistoryRecordComparator {

    private static final String GTIDS = "gtids";
    private static final Pattern GTID = Pattern.compile("(\\d+)-(\\d+)-(\\d+)");

    private final HistoryRecordComparator debezium;

    /** @param debezium the connector's own comparator, for what sequences do not decide */
    DomainSequenceComparator(HistoryRecordComparator debezium) {
        this.debezium = debezium;
    }

    @Override
    public boolean isAtOrBefore(HistoryRecord recorded, HistoryRecord desired) {
        Optional<Map<Long, Long>> recordedSequences = lastSequences(recorded.document());
        Optional<Map<Long, Long>> desiredSequences = lastSequences(desired.document());
        if (recordedSequences.isEmpty() || desiredSequences.isEmpty()
                || !recordedSequences.get().keySet().equals(desiredSequences.get().keySet())
                || recordedSequences.equals(desiredSequences)) {
            return debezium.isAtOrBefore(recorded, desired);
        }
        for (Map.Entry<Long, Long> domain : recordedSequences.get().entrySet()) {
            if (domain.getValue() > desiredSequences.get().get(domain.getKey())) {
                return false;
            }
        }
        return isSameSource(recorded.document().getDocument(HistoryRecord.Fields.SOURCE),
                desired.document().getDocument(HistoryRecord.Fields.SOURCE));
    }

    /**
     * @return the highest sequence of each GTID domain in the position's {@code gtids}; empty if it has none, or
     *     holds something else than GTIDs
     */
    private static Optional<Map<Long, Long>> lastSequences(Document record) {
        Document position = record.getDocument(HistoryRecord.Fields.POSITION);
        String gtids = position == null ? null : position.getString(GTIDS);
        if (gtids == null || gtids.isBlank()) {
            return Optional.empty();
        }
        Map<Long, Long> sequences = new HashMap<>();
        for (String each : gtids.split(",")) {
            Matcher gtid = GTID.matcher(each.trim());
            if (!gtid.matches()) {
                return Optional.empty();
            }
            sequences.merge(Long.parseLong(gtid.group(1)), Long.parseLong(gtid.group(3)), Math::max);
        }
        return Optional.of(sequences);
    }
}
