package io.shardwire.mq.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.log.AppendResult;
import io.shardwire.mq.log.Record;
import io.shardwire.mq.log.RecordBatch;
import io.shardwire.mq.log.SourcePosition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Change events as the CDC writes them, numbered: event {@code i} changes row {@code id = i % KEYS} of
 * {@code shop.orders} (ids below {@code KEYS / 2}) or {@code shop.customers}, captured on group {@code g(id % 2)}
 * into partition {@code id % 2}, and carries {@code n = i / KEYS}, the row's own change counter, so that per-key
 * order can be checked downstream.
 */
public final class TestChanges {

    /** The change topic. */
    public static final String TOPIC = "shardwire.changes";
    /** Distinct rows. */
    public static final int KEYS = 40;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Recent, so that no retention by time (the queue's or Kafka's) deletes the test's records. */
    private static final long BASE_MS = System.currentTimeMillis();

    private TestChanges() {
    }

    /** @return the table of row {@code id} */
    static String table(int id) {
        return id < KEYS / 2 ? "orders" : "customers";
    }

    /**
     * Appends events {@code from} to {@code from + count - 1}, creating the topic, in batches of up to 10 per group
     * as idempotent producers {@code cdc-g0} and {@code cdc-g1}.
     *
     * @param store the queue
     * @param from  the first event number
     * @param count how many
     * @throws Exception if an append fails
     */
    public static void append(QueueStore store, int from, int count) throws Exception {
        store.createTopic(TOPIC, 2);
        for (int group = 0; group < 2; group++) {
            List<Record> batch = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                if ((i % KEYS) % 2 == group) {
                    batch.add(record(i));
                }
                if (batch.size() == 10 || (i == from + count - 1 && !batch.isEmpty())) {
                    String producer = "cdc-g" + group;
                    long sequence = store.topic(TOPIC).orElseThrow().lastPosition(producer)
                            .map(p -> p.sequence() + 1).orElse(0L);
                    AppendResult result = store.append(TOPIC, group, RecordBatch.of(producer,
                            new SourcePosition(sequence, new byte[0]), batch));
                    if (!(result instanceof AppendResult.Appended)) {
                        throw new IllegalStateException("append of events before " + i + ": " + result);
                    }
                    batch = new ArrayList<>();
                }
            }
        }
    }

    /** The queue record of event {@code i}. */
    static Record record(int i) throws IOException {
        int id = i % KEYS;
        String group = "g" + (id % 2);
        ObjectNode key = JSON.createObjectNode().put("id", id);
        ObjectNode event = JSON.createObjectNode();
        event.put("id", eventId(i));
        event.put("op", i < KEYS ? "c" : "u");
        event.put("schema", "shop");
        event.put("table", table(id));
        event.set("key", key);
        event.putNull("before");
        event.set("after", JSON.createObjectNode().put("id", id).put("n", i / KEYS));
        ObjectNode source = event.putObject("source");
        source.put("group", group);
        source.put("db", "shop_" + (id % 4));
        source.put("table", table(id) + "_" + (id % 4));
        source.put("server_id", 100 + id % 2);
        source.put("gtid", "0-" + (100 + id % 2) + "-" + i);
        source.put("file", "binlog.000001");
        source.put("pos", 4 + i * 100L);
        source.put("row", 0);
        source.put("snapshot", false);
        source.put("ts_ms", BASE_MS + i);
        event.putNull("transaction");
        event.put("ts_ms", BASE_MS + i);
        byte[] recordKey = JSON.writeValueAsBytes(JSON.createArrayNode().add("shop").add(table(id)).add(key));
        return Record.of(BASE_MS + i, recordKey, JSON.writeValueAsBytes(event));
    }

    /** @return the event id of event {@code i} */
    public static String eventId(int i) {
        return String.format("%032x", i);
    }

    /**
     * Reads what a bridge delivered: the row and its change counter.
     *
     * @param value an event JSON
     * @return {@code schema.table/id} and {@code n}
     * @throws IOException if it is not JSON
     */
    public static Delivered delivered(byte[] value) throws IOException {
        JsonNode event = JSON.readTree(value);
        return new Delivered(event.get("id").asText(), event.get("schema").asText() + "." + event.get("table").asText()
                + "/" + event.get("key").get("id").asInt(), event.get("after").get("n").asInt());
    }

    /**
     * One delivered change.
     *
     * @param eventId the event id
     * @param row     {@code schema.table/id}
     * @param n       the row's change counter
     */
    public record Delivered(String eventId, String row, int n) {
    }
}
