package io.shardwire.cdc.debezium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GTID position a replica must have reached before a batch may be stored: per GTID domain, the highest sequence
 * among the batch's offset ({@code gtids}, and {@code transaction_id}, the transaction the offset is in or ends) and
 * its last event's GTID. In {@code MASTER_GTID_WAIT}'s form, e.g. {@code 0-100-234}; a replica has it once its
 * {@code gtid_slave_pos} reaches that sequence in every domain, whichever server wrote it.
 *
 * @param sequences per GTID domain, the GTID with the highest sequence to reach
 */
record GtidTarget(Map<Long, Gtid> sequences) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern GTID = Pattern.compile("(\\d+)-(\\d+)-(\\d+)");

    /** One GTID: domain, server id, sequence. */
    record Gtid(long domain, long server, long sequence) {
        @Override
        public String toString() {
            return domain + "-" + server + "-" + sequence;
        }
    }

    /** Copies the map. */
    GtidTarget {
        sequences = Map.copyOf(sequences);
    }

    /**
     * @param position     where the capture stands after the batch
     * @param lastEventGtid the GTID of the batch's last event, if it has one
     * @return what a replica must hold; empty if the batch names no GTID (a server that never wrote one)
     */
    static Optional<GtidTarget> of(CapturePosition position, Optional<String> lastEventGtid) {
        Map<Long, Gtid> highest = new TreeMap<>();
        JsonNode offset = offsetValue(position);
        add(highest, offset.path("gtids").asText(""));
        add(highest, offset.path("transaction_id").asText(""));
        lastEventGtid.ifPresent(gtid -> add(highest, gtid));
        return highest.isEmpty() ? Optional.empty() : Optional.of(new GtidTarget(highest));
    }

    private static JsonNode offsetValue(CapturePosition position) {
        try {
            return MAPPER.readTree(position.offset().value());
        } catch (IOException e) {
            throw new IllegalArgumentException("stored offset is not JSON: " + position.offset(), e);
        }
    }

    private static void add(Map<Long, Gtid> highest, String gtids) {
        for (String each : gtids.split(",")) {
            Matcher gtid = GTID.matcher(each.trim());
            if (gtid.matches()) {
                Gtid parsed = new Gtid(Long.parseLong(gtid.group(1)), Long.parseLong(gtid.group(2)),
                        Long.parseLong(gtid.group(3)));
                highest.merge(parsed.domain(), parsed, (a, b) -> a.sequence() >= b.sequence() ? a : b);
            }
        }
    }

    /** @return whether a replica that reached this position has reached {@code other} too */
    boolean covers(GtidTarget other) {
        for (Gtid gtid : other.sequences.values()) {
            Gtid mine = sequences.get(gtid.domain());
            if (mine == null || mine.sequence() < gtid.sequence()) {
                return false;
            }
        }
        return true;
    }

    /** @return per domain the higher of the two */
    GtidTarget max(GtidTarget other) {
        Map<Long, Gtid> merged = new TreeMap<>(sequences);
        other.sequences.forEach((domain, gtid) ->
                merged.merge(domain, gtid, (a, b) -> a.sequence() >= b.sequence() ? a : b));
        return new GtidTarget(merged);
    }

    /** @return the position as {@code MASTER_GTID_WAIT} takes it */
    @Override
    public String toString() {
        return String.join(",", new TreeMap<>(sequences).values().stream().map(Gtid::toString).toList());
    }
}
