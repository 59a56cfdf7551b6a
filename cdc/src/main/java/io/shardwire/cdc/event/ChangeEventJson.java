package io.shardwire.cdc.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The JSON form of a {@link CapturedEvent}, as stored in the queue. A row change ({@link ChangeEvent}): Field names are Debezium's wherever Debezium has
 * the field ({@code op}, {@code before}, {@code after}, {@code source} with {@code db}, {@code table},
 * {@code server_id}, {@code gtid}, {@code file}, {@code pos}, {@code row}, {@code snapshot}, {@code ts_ms};
 * {@code transaction} with {@code id}, {@code total_order}, {@code data_collection_order}; {@code ts_ms}), so that
 * Debezium consumers feel at home:
 *
 * <pre>{@code
 * {"id":"9f2c...","op":"u","schema":"shop","table":"orders","key":{"id":7},
 *  "before":{"id":7,"total":"10.50"},"after":{"id":7,"total":"12.00"},
 *  "source":{"group":"g0","db":"shop_0","table":"orders_1","server_id":100,"gtid":"0-100-42",
 *            "file":"binlog.000003","pos":1874,"row":0,"snapshot":false,"ts_ms":1767225600000},
 *  "transaction":{"id":"0-100-42","total_order":2,"data_collection_order":1,"event_count":3,
 *                 "commit_ts_ms":1767225600000},
 *  "ts_ms":1767225600123}
 * }</pre>
 *
 * <p>A schema change ({@link SchemaChangeEvent}) has Debezium's schema change fields and no {@code op}; its
 * {@code key} is empty, so that it goes where a row change of its table would:
 *
 * <pre>{@code
 * {"id":"51ab...","schema":"shop","table":"orders","key":{},
 *  "ddl":"ALTER TABLE `shop`.`orders` ADD COLUMN note VARCHAR(20)","databaseName":"shop","schemaName":null,
 *  "tableChanges":[{"type":"ALTER","id":"\"shop\".\"orders\"","table":{"primaryKeyColumnNames":["id"],"columns":[...]}}],
 *  "source":{"group":"g0","db":"shop_0","table":"orders_0",...,"gtid":"0-100-43",...},"ts_ms":1767225600456}
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ChangeEventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ChangeEventJson() {
    }

    /**
     * @param event an event
     * @return its JSON, UTF-8
     */
    public static byte[] write(CapturedEvent event) {
        try {
            return MAPPER.writeValueAsBytes(switch (event) {
                case ChangeEvent change -> toTree(change);
                case SchemaChangeEvent schemaChange -> toTree(schemaChange);
            });
        } catch (IOException e) {
            throw new IllegalStateException("could not write change event " + event.id() + " as JSON", e);
        }
    }

    /**
     * @param event a schema change
     * @return its JSON tree
     */
    public static ObjectNode toTree(SchemaChangeEvent event) {
        ObjectNode json = NODES.objectNode();
        json.put("id", event.id());
        json.put("schema", event.schema());
        json.put("table", event.table());
        json.set("key", NODES.objectNode());
        json.put("ddl", event.ddl());
        json.put("databaseName", event.schema());
        json.putNull("schemaName");
        json.putArray("tableChanges").add(event.tableChange());
        json.set("source", sourceTree(event.source()));
        json.put("ts_ms", event.tsMs());
        return json;
    }

    /**
     * @param event an event
     * @return its JSON tree
     */
    public static ObjectNode toTree(ChangeEvent event) {
        ObjectNode json = NODES.objectNode();
        json.put("id", event.id());
        json.put("op", event.op().code());
        json.put("schema", event.schema());
        json.put("table", event.table());
        json.set("key", event.key());
        json.set("before", event.before().orElse(null));
        json.set("after", event.after().orElse(null));
        json.set("source", sourceTree(event.source()));
        json.set("transaction", event.transaction().map(ChangeEventJson::transactionTree).orElse(null));
        json.put("ts_ms", event.tsMs());
        return json;
    }

    /**
     * @param event an event
     * @return the queue record key for it: {@code ["<schema>","<table>",{<primary key>}]}, so that equal keys
     *     name the same logical row; {@code {}} for a schema change
     */
    public static byte[] keyOf(CapturedEvent event) {
        ObjectNode key = event instanceof ChangeEvent change ? change.key() : NODES.objectNode();
        ArrayNode json = NODES.arrayNode().add(event.schema()).add(event.table()).add(key);
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException("could not write the key of change event " + event.id() + " as JSON", e);
        }
    }

    /**
     * @param json a row change's JSON, as {@link #write} made it
     * @return the event
     * @throws IOException if it is not such JSON, or a schema change
     */
    public static ChangeEvent read(byte[] json) throws IOException {
        if (readCaptured(json) instanceof ChangeEvent change) {
            return change;
        }
        throw new IOException("change event is a schema change (it has a ddl field); expected a row change:"
                + " read it with readCaptured");
    }

    /**
     * @param json an event's JSON, as {@link #write} made it
     * @return the row change or schema change
     * @throws IOException if it is not such JSON
     */
    public static CapturedEvent readCaptured(byte[] json) throws IOException {
        JsonNode tree = MAPPER.readTree(json);
        if (!(tree instanceof ObjectNode event)) {
            throw new IOException("change event: " + tree.getNodeType() + " (expected: a JSON object)");
        }
        if (event.has("ddl")) {
            return schemaChange(event);
        }
        try {
            return new ChangeEvent(text(event, "id"), Operation.ofCode(text(event, "op")), text(event, "schema"),
                    text(event, "table"), object(event, "key").orElseThrow(() -> missing("key")),
                    object(event, "before"), object(event, "after"), source(required(event, "source")),
                    optional(event, "transaction").map(ChangeEventJson::transaction), number(event, "ts_ms"));
        } catch (IllegalArgumentException e) {
            throw new IOException("change event " + event.path("id").asText("?") + " is not valid: "
                    + e.getMessage(), e);
        }
    }

    private static SchemaChangeEvent schemaChange(ObjectNode event) throws IOException {
        try {
            JsonNode changes = required(event, "tableChanges");
            if (!changes.isArray() || changes.size() != 1 || !(changes.get(0) instanceof ObjectNode change)) {
                throw new IllegalArgumentException("tableChanges: " + changes + " (expected: one object)");
            }
            return new SchemaChangeEvent(text(event, "id"), text(event, "schema"), text(event, "table"),
                    text(event, "ddl"), change, source(required(event, "source")), number(event, "ts_ms"));
        } catch (IllegalArgumentException e) {
            throw new IOException("schema change event " + event.path("id").asText("?") + " is not valid: "
                    + e.getMessage(), e);
        }
    }

    private static ObjectNode sourceTree(EventSource source) {
        ObjectNode json = NODES.objectNode();
        json.put("group", source.group());
        json.put("db", source.database());
        json.put("table", source.table());
        json.put("server_id", source.serverId());
        json.put("gtid", source.gtid().orElse(null));
        json.put("file", source.binlogFile());
        json.put("pos", source.binlogPosition());
        json.put("row", source.row());
        json.put("snapshot", source.snapshot());
        json.put("ts_ms", source.tsMs());
        return json;
    }

    private static ObjectNode transactionTree(EventTransaction transaction) {
        ObjectNode json = NODES.objectNode();
        json.put("id", transaction.id());
        json.put("total_order", transaction.totalOrder());
        json.put("data_collection_order", transaction.dataCollectionOrder());
        putOptional(json, "event_count", transaction.eventCount());
        putOptional(json, "commit_ts_ms", transaction.commitTsMs());
        return json;
    }

    private static void putOptional(ObjectNode json, String field, OptionalLong value) {
        if (value.isPresent()) {
            json.put(field, value.getAsLong());
        } else {
            json.putNull(field);
        }
    }

    private static EventSource source(JsonNode json) {
        return new EventSource(text(json, "group"), text(json, "db"), text(json, "table"), number(json, "server_id"),
                optional(json, "gtid").map(JsonNode::asText), text(json, "file"), number(json, "pos"),
                Math.toIntExact(number(json, "row")), required(json, "snapshot").asBoolean(), number(json, "ts_ms"));
    }

    private static EventTransaction transaction(JsonNode json) {
        return new EventTransaction(text(json, "id"), number(json, "total_order"),
                number(json, "data_collection_order"), optionalNumber(json, "event_count"),
                optionalNumber(json, "commit_ts_ms"));
    }

    private static JsonNode required(JsonNode json, String field) {
        return optional(json, field).orElseThrow(() -> missing(field));
    }

    private static Optional<JsonNode> optional(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<ObjectNode> object(JsonNode json, String field) {
        return optional(json, field).map(value -> {
            if (value instanceof ObjectNode object) {
                return object;
            }
            throw new IllegalArgumentException(field + ": " + value.getNodeType() + " (expected: an object)");
        });
    }

    private static String text(JsonNode json, String field) {
        return required(json, field).asText();
    }

    private static long number(JsonNode json, String field) {
        JsonNode value = required(json, field);
        if (!value.canConvertToLong()) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: an integer)");
        }
        return value.asLong();
    }

    private static OptionalLong optionalNumber(JsonNode json, String field) {
        return optional(json, field).isPresent() ? OptionalLong.of(number(json, field)) : OptionalLong.empty();
    }

    private static IllegalArgumentException missing(String field) {
        return new IllegalArgumentException(field + ": missing (expected: present)");
    }
}
