package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.client.FetchOutOfRangeException;
import io.shardwire.mq.client.FetchResult;
import io.shardwire.mq.client.PartitionLag;
import io.shardwire.mq.client.PartitionRange;
import io.shardwire.mq.client.Payload;
import io.shardwire.mq.client.QueueClient;
import io.shardwire.mq.client.QueueRecord;
import io.shardwire.mq.client.TopicInfo;
import io.shardwire.mq.log.Record;
import io.shardwire.mq.log.RecordBatch;
import io.shardwire.mq.log.SourcePosition;
import io.shardwire.proxy.launcher.ShardwireCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The queue's HTTP API on the running proxy's HTTP port: records appended to the proxy's own queue store are
 * fetched, waited for, committed and tailed over HTTP, with the Java client and the CLI.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueueHttpIT {

    private static final String NAME = "QueueHttpIT";
    private static final long T0 = 1_767_225_600_000L;

    private static ProxyFixture fixture;
    private static QueueStore store;
    private static URI url;
    private static QueueClient client;

    @BeforeAll
    static void start() throws Exception {
        // The fixture keeps its data between runs; the queue starts empty so that offsets are exact.
        Path queueDir = Path.of("target", "it-data", NAME, "proxy", "queue").toAbsolutePath();
        if (Files.exists(queueDir)) {
            try (Stream<Path> files = Files.walk(queueDir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        fixture = ProxyFixture.start(NAME, 1);
        store = fixture.proxy.queue();
        url = URI.create("http://127.0.0.1:" + fixture.proxy.httpPort());
        client = new QueueClient(url);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(HttpRequest.newBuilder(url.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void recordsAppendedToTheProxysQueueAreFetchedOverHttp() throws Exception {
        store.createTopic("orders", 2);
        store.append("orders", 1, RecordBatch.of("g0", new SourcePosition(41, utf8("binlog.000001:1234")), List.of(
                new Record(T0, utf8("1001"), Map.of("shard", utf8("g0")),
                        utf8("{\"op\":\"insert\",\"after\":{\"id\":1001,\"total\":25.00}}")),
                Record.of(T0 + 1, utf8("1002"), utf8("not json")))));

        assertThat(client.topics()).filteredOn(topic -> topic.name().equals("orders")).containsExactly(
                new TopicInfo("orders", List.of(new PartitionRange(0, 0, 0), new PartitionRange(1, 0, 2))));

        FetchResult fetched = client.fetch("orders", 1, 0);
        assertThat(fetched.nextOffset()).isEqualTo(2);
        assertThat(fetched.records()).hasSize(2);
        QueueRecord insert = fetched.records().get(0);
        assertThat(insert.offset()).isZero();
        assertThat(insert.timestamp()).isEqualTo(T0);
        assertThat(((Payload.Json) insert.key()).json()).isEqualTo("1001");
        assertThat(insert.headers()).containsExactly(Map.entry("shard", new Payload.Text("g0")));
        assertThat(((Payload.Json) insert.value()).json())
                .isEqualTo("{\"op\":\"insert\",\"after\":{\"id\":1001,\"total\":25.00}}");
        assertThat(fetched.records().get(1).value()).isEqualTo(new Payload.Text("not json"));

        HttpResponse<String> raw = get("/queue/topics/orders/partitions/1/records?offset=1");
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).isEqualTo("{\"records\":[{\"offset\":1,\"timestamp\":1767225600001,\"key\":1002,"
                + "\"headers\":{},\"value\":\"not json\"}],\"nextOffset\":2}\n");
        assertThat(client.offsetAfter("orders", 1, "g0", 41)).isEqualTo(2);
        assertThat(client.offsetForTimestamp("orders", 1, T0 + 1)).isEqualTo(1);
    }

    @Test
    void aLongPollWakesWhenARecordIsAppended() throws Exception {
        store.createTopic("events", 1);
        long started = System.nanoTime();
        CompletableFuture<FetchResult> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return client.fetch("events", 0, 0, 10, 1 << 20, Duration.ofSeconds(25));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(500);
        assertThat(poll).isNotDone();
        assertThat(get("/health").statusCode()).isEqualTo(200);

        store.append("events", 0, RecordBatch.of(List.of(Record.of(T0, null, utf8("[1,2,3]")))));

        FetchResult woken = poll.get(15, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(15_000);
        assertThat(woken.records()).extracting(QueueRecord::value)
                .containsExactly(new Payload.Json(new ObjectMapper().readTree("[1,2,3]")));
        assertThat(woken.nextOffset()).isEqualTo(1);
    }

    @Test
    void commitsAreDurableAndLagFollowsThem() throws Exception {
        store.createTopic("payments", 2);
        for (int i = 0; i < 5; i++) {
            store.append("payments", 0, RecordBatch.of(List.of(Record.of(T0 + i, null, utf8("p" + i)))));
        }
        store.append("payments", 1, RecordBatch.of(List.of(Record.of(T0, null, utf8("q")))));

        client.commit("ledger", "payments", 0, 3);

        assertThat(store.committed("ledger", "payments", 0)).hasValue(3);
        assertThat(client.groups()).contains("ledger");
        assertThat(client.lag("ledger", "payments")).containsExactly(
                new PartitionLag("payments", 0, OptionalLong.of(3), 5, 2),
                new PartitionLag("payments", 1, OptionalLong.empty(), 1, 1));
        assertThat(get("/queue/groups/ledger?topic=payments").body()).isEqualTo("""
                {"group":"ledger","partitions":[\
                {"topic":"payments","partition":0,"committedOffset":3,"latestOffset":5,"lag":2},\
                {"topic":"payments","partition":1,"committedOffset":null,"latestOffset":1,"lag":1}]}
                """);
        assertThatThrownBy(() -> client.commit("ledger", "payments", 0, 6))
                .hasMessage("POST /queue/groups/ledger/offsets: HTTP 400: offset: 6 (expected: 0 to the log end"
                        + " offset 5 of payments-0)");
    }

    @Test
    void anOffsetThatRetentionDeletedIs416NamingTheEarliest() throws Exception {
        store.createTopic("retained", 1);
        // A record as large as a whole segment (128 MiB by default) fills one; the next append rolls a new segment,
        // and the full one, dated 1970, is past the default 168 hours of retention.
        store.append("retained", 0, RecordBatch.of(List.of(Record.of(1000, null, new byte[128 << 20]))));
        store.append("retained", 0, RecordBatch.of(List.of(Record.of(T0, null, utf8("kept")))));
        store.enforceRetention();

        HttpResponse<String> raw = get("/queue/topics/retained/partitions/0/records?offset=0");
        assertThat(raw.statusCode()).isEqualTo(416);
        assertThat(raw.body()).isEqualTo("{\"error\":\"offset 0 is out of range, earliest is 1 (partition"
                + " retained-0)\",\"earliestOffset\":1,\"latestOffset\":2}\n");
        assertThatThrownBy(() -> client.fetch("retained", 0, 0))
                .isInstanceOfSatisfying(FetchOutOfRangeException.class,
                        e -> assertThat(e.earliestOffset()).isEqualTo(1));
        assertThat(client.fetch("retained", 0, 1).records()).extracting(QueueRecord::value)
                .containsExactly(new Payload.Text("kept"));
    }

    @Test
    void theCliTailsTheTopicAsJsonLinesAndStopsAtTheEnd() throws Exception {
        store.createTopic("audit", 1);
        for (int i = 0; i < 3; i++) {
            store.append("audit", 0, RecordBatch.of(List.of(
                    Record.of(T0 + i, utf8("k" + i), utf8("{\"n\":" + i + "}")))));
        }
        String all = line(0, "k0", "{\"n\":0}") + line(1, "k1", "{\"n\":1}") + line(2, "k2", "{\"n\":2}");

        assertThat(tail("--from-beginning")).isEqualTo(all);
        assertThat(tail("--group", "auditors", "--from-beginning", "--max", "2"))
                .isEqualTo(line(0, "k0", "{\"n\":0}") + line(1, "k1", "{\"n\":1}"));
        assertThat(store.committed("auditors", "audit", 0)).hasValue(2);
        assertThat(tail("--group", "auditors")).isEqualTo(line(2, "k2", "{\"n\":2}"));
        assertThat(store.lag("auditors", "audit")).containsExactly(Map.entry(0, 0L));
    }

    private static String line(long offset, String key, String value) {
        return "{\"topic\":\"audit\",\"partition\":0,\"offset\":" + offset + ",\"timestamp\":" + (T0 + offset)
                + ",\"key\":\"" + key + "\",\"value\":" + value + "}\n";
    }

    private static String tail(String... options) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new ShardwireCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        String[] args = Stream.concat(Stream.of("queue", "tail", "--url", url.toString(), "--topic", "audit"),
                Stream.of(options)).toArray(String[]::new);
        assertThat(command.execute(args)).as("exit code; stderr: %s", err).isZero();
        return out.toString();
    }
}
