package io.shardwire.cdc.debezium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a group's capture stands after a queue batch: Debezium's offset, the transaction the batch ended inside
 * of, if it did, where to resume reading when that is earlier than the offset (an XA branch prepared before the
 * offset and not yet decided, whose rows are only in memory), and the GTID sequence of the last transaction stored,
 * by which transactions read again from that earlier point are recognised and dropped. Stored as the {@link io.shardwire.mq.log.SourcePosition#bytes()} of the batch, so that the queue
 * holds the position exactly when it holds the events before it:
 *
 * <pre>{@code
 * {"format":1,"key":"[\"cdc-g0\",{\"server\":\"cdc-g0\"}]","value":"{\"file\":\"binlog.000002\",...}",
 *  "partial_transaction":{"id":"0-100-7","events":20000,"tables":{"shop_0.orders_1":20000}},
 *  "resume_from":"{\"file\":\"binlog.000002\",...}","stored_sequence":6,
 *  "snapshot_copy":{"first_sequence":0,"records":20000}}
 * }</pre>
 *
 * (the key and value are kept as strings, byte for byte, see {@link CaptureOffset}).
 *
 * @param offset         Debezium's offset after the batch
 * @param partial        the transaction the batch ended inside of
 * @param resumeFrom     the offset value (same key) of the earliest prepared XA branch still undecided, if any
 * @param storedSequence the GTID sequence of the last whole transaction stored, -1 if unknown
 * @param snapshotCopy   on the batches that copy a completed snapshot from its staging topic (whose last record's
 *                       offset, the snapshot's end, is {@link #offset}): how the copy maps staging offsets to
 *                       sequences, so that a restart finishes it before it streams
 */
record CapturePosition(CaptureOffset offset, Optional<PartialTransaction> partial, Optional<String> resumeFrom,
        long storedSequence, Optional<SnapshotCopy> snapshotCopy) {

    /** A position that copies no snapshot. */
    CapturePosition(CaptureOffset offset, Optional<PartialTransaction> partial, Optional<String> resumeFrom,
            long storedSequence) {
        this(offset, partial, resumeFrom, storedSequence, Optional.empty());
    }

    /** A position with nothing parked and no sequence, as before XA branches were tracked. */
    CapturePosition(CaptureOffset offset, Optional<PartialTransaction> partial) {
        this(offset, partial, Optional.empty(), -1);
    }

    /** @return this position on the batches of a snapshot copy */
    CapturePosition withSnapshotCopy(SnapshotCopy copy) {
        return new CapturePosition(offset, partial, resumeFrom, storedSequence, Optional.of(copy));
    }

    /** @return where Debezium must start reading: before the earliest undecided XA branch, else {@link #offset} */
    CaptureOffset resumeOffset() {
        return resumeFrom.map(value -> new CaptureOffset(offset.key(), value.getBytes(StandardCharsets.UTF_8))).orElse(offset);
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int FORMAT = 1;

    /** @return the bytes stored in the queue */
    byte[] encode() {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("format", FORMAT);
        json.put("key", new String(offset.key(), StandardCharsets.UTF_8));
        json.put("value", new String(offset.value(), StandardCharsets.UTF_8));
        partial.ifPresent(transaction -> {
            ObjectNode partialJson = json.putObject("partial_transaction");
            partialJson.put("id", transaction.id());
            partialJson.put("events", transaction.events());
            ObjectNode tables = partialJson.putObject("tables");
            transaction.eventsPerTable().forEach(tables::put);
        });
        resumeFrom.ifPresent(value -> json.put("resume_from", value));
        if (storedSequence >= 0) {
            json.put("stored_sequence", storedSequence);
        }
        snapshotCopy.ifPresent(copy -> {
            ObjectNode copyJson = json.putObject("snapshot_copy");
            copyJson.put("first_sequence", copy.firstSequence());
            copyJson.put("records", copy.records());
        });
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException("could not write the capture position " + this + " as JSON", e);
        }
    }

    /**
     * @param bytes what {@link #encode()} made
     * @return the position
     * @throws IllegalArgumentException if the bytes are not such a position
     */
    static CapturePosition decode(byte[] bytes) {
        JsonNode json;
        try {
            json = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("stored CDC position is not JSON: "
                    + new String(bytes, StandardCharsets.UTF_8), e);
        }
        if (json == null || json.path("format").asInt() != FORMAT || !json.path("key").isTextual()
                || !json.path("value").isTextual()) {
            throw new IllegalArgumentException("stored CDC position: " + new String(bytes, StandardCharsets.UTF_8)
                    + " (expected: {\"format\":" + FORMAT + ",\"key\":\"...\",\"value\":\"...\"})");
        }
        CaptureOffset offset = new CaptureOffset(json.get("key").asText().getBytes(StandardCharsets.UTF_8),
                json.get("value").asText().getBytes(StandardCharsets.UTF_8));
        Optional<String> resumeFrom = json.path("resume_from").isTextual()
                ? Optional.of(json.get("resume_from").asText()) : Optional.empty();
        long storedSequence = json.path("stored_sequence").asLong(-1);
        JsonNode copyJson = json.path("snapshot_copy");
        Optional<SnapshotCopy> snapshotCopy = copyJson.isObject() ? Optional.of(new SnapshotCopy(
                copyJson.path("first_sequence").asLong(), copyJson.path("records").asLong())) : Optional.empty();
        JsonNode partialJson = json.get("partial_transaction");
        if (partialJson == null || partialJson.isNull()) {
            return new CapturePosition(offset, Optional.empty(), resumeFrom, storedSequence, snapshotCopy);
        }
        Map<String, Long> tables = new LinkedHashMap<>();
        partialJson.path("tables").properties().forEach(table -> tables.put(table.getKey(), table.getValue().asLong()));
        return new CapturePosition(offset, Optional.of(new PartialTransaction(partialJson.path("id").asText(),
                partialJson.path("events").asLong(), tables)), resumeFrom, storedSequence, snapshotCopy);
    }
}
