package io.shardwire.mq.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardwire.mq.log.LogRecord;
import java.io.IOException;
import java.util.Optional;

/**
 * A change event read from the queue, with the parts a bridge routes by. The bridge forwards {@link #value} as it is;
 * it reads only these fields of the event JSON the CDC writes ({@code id}, {@code schema}, {@code table},
 * {@code key}, {@code source.group}, {@code source.db}, {@code source.file}, {@code source.pos}, {@code source.gtid}).
 *
 * @param partition  the queue partition it was read from
 * @param offset     its offset there
 * @param timestamp  the queue record's timestamp: the change's commit time
 * @param eventId    the event's deterministic id, the same however often the change is captured
 * @param schema     the logical schema
 * @param table      the logical table
 * @param primaryKey the primary key as compact JSON, e.g. {@code {"id":7}}
 * @param group      the shard group the change came from
 * @param dataNode   the data node (physical database) the change came from
 * @param binlog     the binlog coordinates, {@code file:position}
 * @param gtid       the transaction's GTID, if it had one
 * @param value      the event JSON, UTF-8
 */
public record ChangeRecord(int partition, long offset, long timestamp, String eventId, String schema, String table,
                           byte[] primaryKey, String group, String dataNode, String binlog, Optional<String> gtid,
                           byte[] value) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads a queue record as a change event.
     *
     * @param topic     the topic it was read from, for messages
     * @param partition its partition
     * @param record    the record
     * @return the change
     * @throws IllegalArgumentException if the record is not a change event, naming it
     */
    public static ChangeRecord of(String topic, int partition, LogRecord record) {
        String where = topic + "-" + partition + " offset " + record.offset();
        if (record.value() == null) {
            throw new IllegalArgumentException(where + " has no value (expected: a change event as the CDC writes)");
        }
        JsonNode event;
        try {
            event = JSON.readTree(record.value());
        } catch (IOException e) {
            throw new IllegalArgumentException(where + " is not JSON (expected: a change event): " + e.getMessage(), e);
        }
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException(where + " is not a JSON object (expected: a change event)");
        }
        JsonNode source = event.path("source");
        JsonNode key = event.get("key");
        if (key == null || !key.isObject()) {
            throw new IllegalArgumentException(where + ": key " + key + " (expected: the primary key as an object)");
        }
        JsonNode gtid = source.get("gtid");
        try {
            return new ChangeRecord(partition, record.offset(), record.timestamp(), text(event, "id", where),
                    text(event, "schema", where), text(event, "table", where), JSON.writeValueAsBytes(key),
                    text(source, "group", where), text(source, "db", where),
                    text(source, "file", where) + ":" + source.path("pos").asLong(),
                    gtid == null || gtid.isNull() ? Optional.empty() : Optional.of(gtid.asText()), record.value());
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": key cannot be written back as JSON: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode json, String field, String where) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(where + ": field " + field + " is " + value
                    + " (expected: a string, as in a change event the CDC writes)");
        }
        return value.asText();
    }

    /** @return {@code schema.table}, the logical table */
    public String logicalTable() {
        return schema + "." + table;
    }
}
