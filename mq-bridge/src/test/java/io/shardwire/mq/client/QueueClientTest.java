package io.shardwire.mq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.http.QueueHttpApi;
import io.shardwire.mq.log.FsyncPolicy;
import io.shardwire.mq.log.Record;
import io.shardwire.mq.log.RecordBatch;
import io.shardwire.mq.log.SourcePosition;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class QueueClientTest {

    private static final long T0 = 1_767_225_600_000L;

    @TempDir
    Path dataDir;

    private QueueStore store;
    private JdkApiServer server;
    private QueueClient client;

    @BeforeEach
    void start() throws Exception {
        store = QueueStore.open(new QueueSettings(dataDir, 64, FsyncPolicy.BATCH, 1000, -1, 0, -1, 256, 0),
                Clock.systemUTC());
        server = new JdkApiServer(new QueueHttpApi(store));
        client = new QueueClient(URI.create(server.url() + "/"));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
        store.close();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void topicsComeWithTheirPartitionRanges() throws Exception {
        store.createTopic("orders", 2);
        store.append("orders", 1, RecordBatch.of(List.of(Record.of(T0, null, utf8("a")))));
        assertThat(client.topics()).containsExactly(new TopicInfo("orders",
                List.of(new PartitionRange(0, 0, 0), new PartitionRange(1, 0, 1))));
    }

    @Test
    void fetchedRecordsCarryJsonTextAndBytes() throws Exception {
        store.createTopic("orders", 1);
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put("position", new byte[] {(byte) 0x80});
        headers.put("shard", utf8("g0"));
        store.append("orders", 0, RecordBatch.of(List.of(
                new Record(T0, utf8("7"), headers, utf8("{\"id\":7,\"total\":19.90}")),
                Record.of(T0 + 1, utf8("k"), new byte[] {(byte) 0xff, 0}),
                Record.of(T0 + 2, null, null))));

        FetchResult result = client.fetch("orders", 0, 0);

        assertThat(result.nextOffset()).isEqualTo(3);
        assertThat(result.records()).hasSize(3);
        QueueRecord first = result.records().get(0);
        assertThat(first.topic()).isEqualTo("orders");
        assertThat(first.offset()).isZero();
        assertThat(first.timestamp()).isEqualTo(T0);
        assertThat(((Payload.Json) first.key()).json()).isEqualTo("7");
        assertThat(((Payload.Json) first.value()).json()).isEqualTo("{\"id\":7,\"total\":19.90}");
        assertThat(first.value().bytes()).isEqualTo(utf8("{\"id\":7,\"total\":19.90}"));
        // JSON and text headers come first, then binary ones.
        assertThat(first.headers()).containsExactly(Map.entry("shard", new Payload.Text("g0")),
                Map.entry("position", new Payload.Binary(new byte[] {(byte) 0x80})));
        QueueRecord second = result.records().get(1);
        assertThat(second.key()).isEqualTo(new Payload.Text("k"));
        assertThat(second.value()).isEqualTo(new Payload.Binary(new byte[] {(byte) 0xff, 0}));
        QueueRecord third = result.records().get(2);
        assertThat(third.key()).isNull();
        assertThat(third.value()).isNull();

        var line = JsonMapper.builder().build().createObjectNode();
        Payload.put(line, "key", second.key());
        Payload.put(line, "value", second.value());
        Payload.put(line, "none", null);
        assertThat(line.toString()).isEqualTo("{\"key\":\"k\",\"valueBase64\":\"/wA=\",\"none\":null}");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aWaitingFetchReturnsAsSoonAsARecordIsAppended() throws Exception {
        store.createTopic("orders", 1);
        CompletableFuture<FetchResult> fetch = CompletableFuture.supplyAsync(() -> {
            try {
                return client.fetch("orders", 0, 0, 10, 1 << 20, Duration.ofSeconds(15));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(fetch).isNotDone();
        store.append("orders", 0, RecordBatch.of(List.of(Record.of(T0, null, utf8("late")))));
        FetchResult result = fetch.get(10, TimeUnit.SECONDS);
        assertThat(result.records()).extracting(QueueRecord::value).containsExactly(new Payload.Text("late"));
        assertThat(result.nextOffset()).isEqualTo(1);
    }

    @Test
    void seekCommitAndLag() throws Exception {
        store.createTopic("orders", 2);
        store.append("orders", 0, RecordBatch.of("g0", new SourcePosition(5, new byte[0]),
                List.of(Record.of(T0, null, utf8("a")), Record.of(T0 + 100, null, utf8("b")))));
        store.append("orders", 0, RecordBatch.of("g0", new SourcePosition(6, new byte[0]),
                List.of(Record.of(T0 + 200, null, utf8("c")))));
        assertThat(client.earliestOffset("orders", 0)).isZero();
        assertThat(client.latestOffset("orders", 0)).isEqualTo(3);
        assertThat(client.offsetForTimestamp("orders", 0, T0 + 50)).isEqualTo(1);
        assertThat(client.offsetAfter("orders", 0, "g0", 5)).isEqualTo(2);

        client.commit("billing", "orders", 0, 2);

        assertThat(client.groups()).containsExactly("billing");
        assertThat(client.lag("billing", "orders")).containsExactly(
                new PartitionLag("orders", 0, OptionalLong.of(2), 3, 1),
                new PartitionLag("orders", 1, OptionalLong.empty(), 0, 0));
        assertThat(client.lag("billing")).isEqualTo(client.lag("billing", "orders"));
        assertThat(store.committed("billing", "orders", 0)).hasValue(2);
    }

    @Test
    void errorsCarryTheApisMessageAndStatus() throws Exception {
        store.createTopic("orders", 1);
        for (int i = 0; i < 3; i++) {
            store.append("orders", 0, RecordBatch.of(List.of(Record.of(T0, utf8("key"), utf8("value " + i)))));
        }
        store.enforceRetention();

        assertThatThrownBy(() -> client.fetch("orders", 0, 0))
                .isInstanceOfSatisfying(FetchOutOfRangeException.class, e -> {
                    assertThat(e.status()).isEqualTo(416);
                    assertThat(e.earliestOffset()).isEqualTo(2);
                    assertThat(e.latestOffset()).isEqualTo(3);
                    assertThat(e.error()).isEqualTo("offset 0 is out of range, earliest is 2 (partition orders-0)");
                })
                .hasMessage("GET /queue/topics/orders/partitions/0/records?offset=0&maxRecords=100&maxBytes=1048576"
                        + "&waitMs=0: HTTP 416: offset 0 is out of range, earliest is 2 (partition orders-0)");
        assertThatThrownBy(() -> client.latestOffset("shipments", 0))
                .isInstanceOfSatisfying(QueueApiException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessage("GET /queue/topics/shipments/partitions/0/offset?at=latest: HTTP 404: topic 'shipments'"
                        + " does not exist (topics: [orders])");
        assertThatThrownBy(() -> client.commit("billing", "orders", 0, 9))
                .isInstanceOfSatisfying(QueueApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("POST /queue/groups/billing/offsets: HTTP 400: offset: 9 (expected: 0 to the log end"
                        + " offset 3 of orders-0)");
        assertThatThrownBy(() -> client.lag("nobody"))
                .isInstanceOfSatisfying(QueueApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void anUnreachableProxyIsNamedByItsUrl() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (QueueClient unreachable = new QueueClient(URI.create("http://127.0.0.1:" + port))) {
            assertThatThrownBy(unreachable::topics)
                    .isExactlyInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot connect to the queue API at http://127.0.0.1:" + port
                            + " for GET /queue/topics: ")
                    .hasMessageEndingWith(" (is the proxy running, and is that its HTTP port?)");
        }
    }

    @Test
    void theUrlMustBeHttp() {
        assertThatThrownBy(() -> new QueueClient(URI.create("ftp://127.0.0.1:9066")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("url: 'ftp://127.0.0.1:9066' (expected: http://host:port, such as http://127.0.0.1:9066)");
    }
}
