package io.shardwire.mq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.bridge.BridgeState;
import io.shardwire.mq.bridge.BridgeStatus;
import io.shardwire.mq.log.FsyncPolicy;
import io.shardwire.mq.log.Record;
import io.shardwire.mq.log.RecordBatch;
import io.shardwire.mq.log.SourcePosition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class QueueHttpApiTest {

    private static final long T0 = 1_767_225_600_000L;

    @TempDir
    Path dataDir;

    private QueueStore store;
    private QueueHttpApi api;

    @BeforeEach
    void open() throws Exception {
        store = QueueStore.open(settings(-1), Clock.systemUTC());
        api = new QueueHttpApi(store);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    /** 64-byte segments: every batch gets a segment of its own, so retention deletes exact offsets. */
    private QueueSettings settings(long retentionBytes) {
        return new QueueSettings(dataDir, 64, FsyncPolicy.BATCH, 1000, -1, retentionBytes, -1, 256, 0);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void append(String topic, int partition, long timestamp, String key, String value) throws Exception {
        store.append(topic, partition, RecordBatch.of(List.of(Record.of(timestamp, key == null ? null : utf8(key),
                value == null ? null : utf8(value)))));
    }

    private QueueHttpResponse request(String method, String target, String body) {
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (question >= 0) {
            for (String pair : target.substring(question + 1).split("&")) {
                int equals = pair.indexOf('=');
                query.computeIfAbsent(pair.substring(0, equals), name -> new ArrayList<>())
                        .add(pair.substring(equals + 1));
            }
        }
        return api.handle(method, path, query, utf8(body));
    }

    private QueueHttpResponse get(String target) {
        return request("GET", target, "");
    }

    private static void assertResponse(QueueHttpResponse response, int status, String json) {
        assertThat(response.bodyText()).isEqualTo(json + "\n");
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.headers()).containsEntry("Content-Type", "application/json");
    }

    @Test
    void topicsListEachPartitionWithItsOffsetRange() throws Exception {
        store.createTopic("orders", 2);
        store.createTopic("customers", 1);
        append("orders", 1, T0, "k", "a");
        append("orders", 1, T0, "k", "b");
        assertResponse(get("/queue/topics"), 200, """
                {"topics":[{"name":"customers","partitions":[{"partition":0,"earliestOffset":0,"latestOffset":0}]},\
                {"name":"orders","partitions":[{"partition":0,"earliestOffset":0,"latestOffset":0},\
                {"partition":1,"earliestOffset":0,"latestOffset":2}]}]}""");
    }

    @Test
    void recordsEmbedJsonKeepTextAndBase64TheRest() throws Exception {
        store.createTopic("orders", 1);
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put("shard", utf8("g0"));
        headers.put("position", new byte[] {0, (byte) 0xff});
        headers.put("meta", utf8("{\"v\":2}"));
        store.append("orders", 0, RecordBatch.of(List.of(
                new Record(T0, utf8("42"), headers, utf8("{\"id\": 42, \"total\": 1.50, \"tags\": [\"a\"]}")),
                Record.of(T0 + 1, utf8("plain key"), utf8("just text")),
                Record.of(T0 + 2, new byte[] {(byte) 0xc3, 0x28}, new byte[] {1, 2, (byte) 0xfe}),
                Record.of(T0 + 3, utf8("gone"), null),
                Record.of(T0 + 4, null, utf8("")))));
        assertResponse(get("/queue/topics/orders/partitions/0/records?offset=0"), 200, """
                {"records":[\
                {"offset":0,"timestamp":1767225600000,"key":42,"headers":{"shard":"g0","meta":{"v":2}},\
                "headersBase64":{"position":"AP8="},"value":{"id":42,"total":1.50,"tags":["a"]}},\
                {"offset":1,"timestamp":1767225600001,"key":"plain key","headers":{},"value":"just text"},\
                {"offset":2,"timestamp":1767225600002,"keyBase64":"wyg=","headers":{},"valueBase64":"AQL+"},\
                {"offset":3,"timestamp":1767225600003,"key":"gone","headers":{},"value":null},\
                {"offset":4,"timestamp":1767225600004,"key":null,"headers":{},"value":""}\
                ],"nextOffset":5}""");
    }

    @Test
    void onlyObjectsArraysNumbersAndBooleansAreEmbeddedAsJson() throws Exception {
        store.createTopic("values", 1);
        List<String> values = List.of("\"quoted\"", "null", "true", "-7", "1e3", "007", "[1, 2", "{\"a\":1,\"a\":2}",
                "{} {}", " [ ] ");
        for (String value : values) {
            append("values", 0, T0, null, value);
        }
        String body = get("/queue/topics/values/partitions/0/records?offset=0").bodyText();
        assertThat(body).endsWith("],\"nextOffset\":10}\n");
        List<String> shown = new ArrayList<>();
        for (String record : body.substring(0, body.lastIndexOf(']')).split("\\{\"offset\":")) {
            int value = record.indexOf("\"value\":");
            if (value >= 0) {
                shown.add(record.substring(value + 8, record.lastIndexOf('}')));
            }
        }
        assertThat(shown).containsExactly("\"\\\"quoted\\\"\"", "\"null\"", "true", "-7", "1E+3", "\"007\"",
                "\"[1, 2\"", "\"{\\\"a\\\":1,\\\"a\\\":2}\"", "\"{} {}\"", "[]");
    }

    @Test
    void fetchStopsAtMaxRecordsOrMaxBytesAndSaysWhereToGoOn() throws Exception {
        store.createTopic("orders", 1);
        for (int i = 0; i < 5; i++) {
            append("orders", 0, T0 + i, "k", "v" + i);
        }
        assertThat(get("/queue/topics/orders/partitions/0/records?offset=1&maxRecords=2").bodyText())
                .contains("\"value\":\"v1\"", "\"value\":\"v2\"").doesNotContain("v3")
                .endsWith("\"nextOffset\":3}\n");
        // maxBytes smaller than one record still returns that first record, and only it.
        assertThat(get("/queue/topics/orders/partitions/0/records?offset=3&maxBytes=1").bodyText())
                .contains("\"value\":\"v3\"").doesNotContain("v4").endsWith("\"nextOffset\":4}\n");
        assertResponse(get("/queue/topics/orders/partitions/0/records?offset=5"), 200,
                "{\"records\":[],\"nextOffset\":5}");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aFetchWithWaitMsWakesOnAnAppend() throws Exception {
        store.createTopic("orders", 1);
        long started = System.nanoTime();
        CompletableFuture<QueueHttpResponse> fetch = CompletableFuture.supplyAsync(
                () -> get("/queue/topics/orders/partitions/0/records?offset=0&waitMs=15000"));
        Thread.sleep(300);
        assertThat(fetch).isNotDone();
        append("orders", 0, T0, "k", "late");
        QueueHttpResponse response = fetch.get(10, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(10_000);
        assertResponse(response, 200, "{\"records\":[{\"offset\":0,\"timestamp\":1767225600000,\"key\":\"k\","
                + "\"headers\":{},\"value\":\"late\"}],\"nextOffset\":1}");
    }

    @Test
    void aFetchWithWaitMsReturnsNothingOnceTheWaitIsOver() throws Exception {
        store.createTopic("orders", 1);
        long started = System.nanoTime();
        assertResponse(get("/queue/topics/orders/partitions/0/records?offset=0&waitMs=200"), 200,
                "{\"records\":[],\"nextOffset\":0}");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(190);
    }

    @Test
    void anOffsetBelowTheEarliestIs416WithTheEarliestOffset() throws Exception {
        store.close();
        store = QueueStore.open(settings(0), Clock.systemUTC());
        api = new QueueHttpApi(store);
        store.createTopic("orders", 1);
        for (int i = 0; i < 3; i++) {
            append("orders", 0, T0, "key", "value number " + i);
        }
        store.enforceRetention();
        assertResponse(get("/queue/topics/orders/partitions/0/records?offset=1"), 416,
                "{\"error\":\"offset 1 is out of range, earliest is 2 (partition orders-0)\",\"earliestOffset\":2,"
                        + "\"latestOffset\":3}");
        assertResponse(get("/queue/topics/orders/partitions/0/offset?at=earliest"), 200, "{\"offset\":2}");
    }

    @Test
    void anOffsetPastTheEndIs416() throws Exception {
        store.createTopic("orders", 1);
        append("orders", 0, T0, "k", "v");
        assertResponse(get("/queue/topics/orders/partitions/0/records?offset=2&waitMs=1000"), 416,
                "{\"error\":\"offset 2 is out of range, log end is 1 (partition orders-0)\",\"earliestOffset\":0,"
                        + "\"latestOffset\":1}");
    }

    @Test
    void offsetsByPositionTimeAndProducerPosition() throws Exception {
        store.createTopic("orders", 1);
        store.append("orders", 0, RecordBatch.of("g0", new SourcePosition(10, new byte[0]),
                List.of(Record.of(T0, null, utf8("a")), Record.of(T0 + 10, null, utf8("b")))));
        store.append("orders", 0, RecordBatch.of("g1", new SourcePosition(3, new byte[0]),
                List.of(Record.of(T0 + 20, null, utf8("c")))));
        store.append("orders", 0, RecordBatch.of("g0", new SourcePosition(11, new byte[0]),
                List.of(Record.of(T0 + 30, null, utf8("d")))));
        String offset = "/queue/topics/orders/partitions/0/offset";
        assertResponse(get(offset + "?at=earliest"), 200, "{\"offset\":0}");
        assertResponse(get(offset + "?at=latest"), 200, "{\"offset\":4}");
        assertResponse(get(offset + "?timestamp=" + (T0 + 5)), 200, "{\"offset\":1}");
        assertResponse(get(offset + "?timestamp=" + (T0 + 31)), 200, "{\"offset\":4}");
        assertResponse(get(offset + "?producer=g0&sequence=10"), 200, "{\"offset\":2}");
        assertResponse(get(offset + "?producer=g0&sequence=11"), 200, "{\"offset\":4}");
        assertResponse(get(offset + "?producer=g1&sequence=3"), 200, "{\"offset\":3}");
        assertResponse(get(offset), 400, "{\"error\":\"give exactly one of at=earliest|latest, timestamp=T or"
                + " producer=X&sequence=S (got none)\"}");
        assertResponse(get(offset + "?at=latest&timestamp=5"), 400, "{\"error\":\"give exactly one of"
                + " at=earliest|latest, timestamp=T or producer=X&sequence=S (got 2 of them)\"}");
        assertResponse(get(offset + "?at=first"), 400,
                "{\"error\":\"query parameter at: 'first' (expected: earliest or latest)\"}");
        assertResponse(get(offset + "?sequence=3"), 400, "{\"error\":\"query parameter producer is required with"
                + " sequence (the producer whose position it is)\"}");
        assertResponse(get(offset + "?producer=g0"), 400,
                "{\"error\":\"query parameter sequence is required (an integer >= 0)\"}");
        assertResponse(get(offset + "?timestamp=yesterday"), 400,
                "{\"error\":\"query parameter timestamp: 'yesterday' (expected: an integer >= 0)\"}");
    }

    @Test
    void commitsAreDurableAndShowAsCommittedOffsetAndLag() throws Exception {
        store.createTopic("orders", 2);
        for (int i = 0; i < 4; i++) {
            append("orders", 0, T0, "k", "v" + i);
        }
        append("orders", 1, T0, "k", "w");
        QueueHttpResponse commit = request("POST", "/queue/groups/billing/offsets",
                "{\"topic\":\"orders\",\"partition\":0,\"offset\":3}");
        assertThat(commit.status()).isEqualTo(204);
        assertThat(commit.body()).isEmpty();
        assertResponse(get("/queue/groups/billing"), 200, """
                {"group":"billing","partitions":[\
                {"topic":"orders","partition":0,"committedOffset":3,"latestOffset":4,"lag":1},\
                {"topic":"orders","partition":1,"committedOffset":null,"latestOffset":1,"lag":1}]}""");
        assertResponse(get("/queue/groups"), 200, "{\"groups\":[\"billing\"]}");
        assertResponse(get("/queue/groups/newcomer?topic=orders"), 200, """
                {"group":"newcomer","partitions":[\
                {"topic":"orders","partition":0,"committedOffset":null,"latestOffset":4,"lag":4},\
                {"topic":"orders","partition":1,"committedOffset":null,"latestOffset":1,"lag":1}]}""");
        assertResponse(get("/queue/groups/newcomer"), 404, "{\"error\":\"group 'newcomer' has committed no offsets"
                + " (groups: [billing]); add ?topic=T to see its lag on topic T\"}");

        store.close();
        store = QueueStore.open(settings(-1), Clock.systemUTC());
        api = new QueueHttpApi(store);
        assertThat(get("/queue/groups/billing?topic=orders").bodyText()).contains("\"committedOffset\":3");
    }

    @Test
    void commitRejectsBadBodiesNamingTheField() throws Exception {
        store.createTopic("orders", 1);
        append("orders", 0, T0, "k", "v");
        String path = "/queue/groups/billing/offsets";
        String expected = " (expected: {\\\"topic\\\": T, \\\"partition\\\": P, \\\"offset\\\": N})";
        assertResponse(request("POST", path, ""), 400, "{\"error\":\"request body: empty" + expected + "\"}");
        assertResponse(request("POST", path, "[1]"), 400, "{\"error\":\"request body: array" + expected + "\"}");
        assertThat(request("POST", path, "{\"topic\":").bodyText())
                .startsWith("{\"error\":\"request body is not valid JSON: ");
        assertResponse(request("POST", path, "{\"topic\":\"orders\",\"partition\":0,\"ofset\":1}"), 400,
                "{\"error\":\"request body field 'ofset' is unknown (expected: topic, partition, offset)\"}");
        assertResponse(request("POST", path, "{\"topic\":\"orders\",\"partition\":0}"), 400,
                "{\"error\":\"request body field offset: missing (expected: an integer from 0 to "
                        + Long.MAX_VALUE + ")\"}");
        assertResponse(request("POST", path, "{\"topic\":\"orders\",\"partition\":0,\"offset\":-1}"), 400,
                "{\"error\":\"request body field offset: -1 (expected: an integer from 0 to "
                        + Long.MAX_VALUE + ")\"}");
        assertResponse(request("POST", path, "{\"topic\":7,\"partition\":0,\"offset\":1}"), 400,
                "{\"error\":\"request body field topic: 7 (expected: a topic name as a string)\"}");
        assertResponse(request("POST", path, "{\"topic\":\"orders\",\"partition\":0,\"offset\":2}"), 400,
                "{\"error\":\"offset: 2 (expected: 0 to the log end offset 1 of orders-0)\"}");
        assertResponse(request("POST", path, "{\"topic\":\"orders\",\"partition\":1,\"offset\":0}"), 404,
                "{\"error\":\"topic 'orders' has no partition 1 (partitions: 0 to 0)\"}");
        assertResponse(request("POST", "/queue/groups/bad group/offsets",
                "{\"topic\":\"orders\",\"partition\":0,\"offset\":1}"), 400,
                "{\"error\":\"group: 'bad group' (expected: 1 to 200 letters, digits, '.', '_' or '-', not '.' or"
                        + " '..')\"}");
        assertThat(store.committed("billing", "orders", 0)).isEmpty();
    }

    @Test
    void badRequestsNameWhatIsWrong() throws Exception {
        store.createTopic("orders", 2);
        String records = "/queue/topics/orders/partitions/0/records";
        assertResponse(get("/queue/topics/shipments/partitions/0/records?offset=0"), 404,
                "{\"error\":\"topic 'shipments' does not exist (topics: [orders])\"}");
        assertResponse(get("/queue/topics/orders/partitions/2/records?offset=0"), 404,
                "{\"error\":\"topic 'orders' has no partition 2 (partitions: 0 to 1)\"}");
        assertResponse(get("/queue/topics/orders/partitions/x/records?offset=0"), 400,
                "{\"error\":\"partition 'x' of topic 'orders' is not a partition number (expected: 0 to 1)\"}");
        assertResponse(get(records), 400, "{\"error\":\"query parameter offset is required (an integer >= 0)\"}");
        assertResponse(get(records + "?offset=-1"), 400,
                "{\"error\":\"query parameter offset: -1 (expected: an integer >= 0)\"}");
        assertResponse(get(records + "?offset=0&maxRecords=0"), 400,
                "{\"error\":\"query parameter maxRecords: 0 (expected: an integer from 1 to 10000)\"}");
        assertResponse(get(records + "?offset=0&maxBytes=99999999"), 400,
                "{\"error\":\"query parameter maxBytes: 99999999 (expected: an integer from 1 to 16777216)\"}");
        assertResponse(get(records + "?offset=0&max_records=5"), 400, "{\"error\":\"unknown query parameter"
                + " 'max_records' (this endpoint takes offset, maxRecords, maxBytes, waitMs)\"}");
        assertResponse(get(records + "?offset=0&offset=1"), 400,
                "{\"error\":\"query parameter offset is given 2 times [0, 1] (expected: once)\"}");
        assertResponse(get("/queue/topics?verbose=1"), 400,
                "{\"error\":\"unknown query parameter 'verbose' (this endpoint takes none)\"}");
        assertThat(get("/queue/topic").bodyText()).startsWith(
                "{\"error\":\"no such endpoint: GET /queue/topic (endpoints: GET /queue/topics, ");
        assertThat(get("/queue/topic").status()).isEqualTo(404);

        QueueHttpResponse wrongMethod = request("DELETE", "/queue/topics", "");
        assertResponse(wrongMethod, 405, "{\"error\":\"use GET for /queue/topics, not DELETE\"}");
        assertThat(wrongMethod.headers()).containsEntry("Allow", "GET");
        assertThat(request("GET", "/queue/groups/billing/offsets", "").headers()).containsEntry("Allow", "POST");
    }

    @Test
    void onlyQueuePathsAreTheApis() {
        assertThat(QueueHttpApi.handles("/queue")).isTrue();
        assertThat(QueueHttpApi.handles("/queue/topics")).isTrue();
        assertThat(QueueHttpApi.handles("/queues")).isFalse();
        assertThat(QueueHttpApi.handles("/health")).isFalse();
    }

    @Test
    void statusShowsAppendsBlockedOnTheDiskQuotaAndEachBridge() throws Exception {
        QueueSettings quota = new QueueSettings(dataDir.resolve("quota"), 64, FsyncPolicy.BATCH, 1000, -1, -1, 300,
                256, 0);
        try (QueueStore full = QueueStore.open(quota, Clock.systemUTC())) {
            full.createTopic("orders", 1);
            while (full.usedBytes() < 300) {
                full.append("orders", 0, RecordBatch.of(List.of(Record.of(T0, utf8("k"), utf8("v")))));
            }
            QueueHttpApi status = new QueueHttpApi(full, () -> List.of(new BridgeStatus("kafka", "orders",
                    "shardwire-bridge-kafka", BridgeState.RUNNING, 7, 3, Optional.empty())));
            assertThat(status.handle("GET", "/queue/status", Map.of(), new byte[0]).bodyText())
                    .contains("\"blockedOnQuota\":false");
            Thread blocked = Thread.ofPlatform().start(() -> {
                try {
                    full.append("orders", 0, RecordBatch.of(List.of(Record.of(T0, utf8("k"), utf8("waits")))));
                } catch (InterruptedException e) {
                    // The test ends the wait.
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                await().atMost(Duration.ofSeconds(30)).until(full::isBlockedOnQuota);
                QueueHttpResponse response = status.handle("GET", "/queue/status", Map.of(), new byte[0]);
                assertResponse(response, 200, "{\"usedBytes\":" + full.usedBytes() + ",\"diskQuotaBytes\":300,"
                        + "\"blockedOnQuota\":true,\"bridges\":[{\"name\":\"kafka\",\"topic\":\"orders\","
                        + "\"group\":\"shardwire-bridge-kafka\",\"state\":\"RUNNING\",\"delivered\":7,\"lag\":3,"
                        + "\"lastError\":null}]}");
            } finally {
                blocked.interrupt();
                blocked.join();
            }
        }
    }
}
