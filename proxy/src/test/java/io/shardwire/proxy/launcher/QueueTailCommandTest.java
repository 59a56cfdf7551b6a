package io.shardwire.proxy.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.mq.QueueStore;
import io.shardwire.mq.log.Record;
import io.shardwire.mq.log.RecordBatch;
import io.shardwire.proxy.http.QueueEndpointFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueTailCommandTest {

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path dataDir;

    private QueueEndpointFixture fixture;
    private QueueStore store;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        fixture = new QueueEndpointFixture(dataDir);
        store = fixture.store();
        store.createTopic("orders", 2);
        // Partition 0: three orders a second apart; partition 1: one record with a binary value.
        for (int i = 0; i < 3; i++) {
            append(0, T0 + i * 1000L, "o" + i, "{\"id\":" + i + "}");
        }
        store.append("orders", 1, RecordBatch.of(List.of(Record.of(T0 + 500, bytes("o9"), new byte[] {(byte) 0xff}))));
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void append(int partition, long timestamp, String key, String value) throws Exception {
        store.append("orders", partition, RecordBatch.of(List.of(Record.of(timestamp, bytes(key), bytes(value)))));
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of("queue", "tail", "--url", fixture.url().toString()));
        all.addAll(List.of(args));
        CommandLine command = new CommandLine(new ShardwireCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(all.toArray(String[]::new));
    }

    private static String line(int partition, long offset, long timestamp, String keyAndValue) {
        return "{\"topic\":\"orders\",\"partition\":" + partition + ",\"offset\":" + offset + ",\"timestamp\":"
                + timestamp + "," + keyAndValue + "}\n";
    }

    private static final String ORDER_0 = line(0, 0, T0, "\"key\":\"o0\",\"value\":{\"id\":0}");
    private static final String ORDER_1 = line(0, 1, T0 + 1000, "\"key\":\"o1\",\"value\":{\"id\":1}");
    private static final String ORDER_2 = line(0, 2, T0 + 2000, "\"key\":\"o2\",\"value\":{\"id\":2}");
    private static final String BINARY = line(1, 0, T0 + 500, "\"key\":\"o9\",\"valueBase64\":\"/w==\"");

    @Test
    void fromTheBeginningPrintsEveryPartitionAndStopsAtTheEnd() {
        assertThat(run("--topic", "orders", "--from-beginning")).isZero();
        assertThat(out.toString()).isEqualTo(ORDER_0 + ORDER_1 + ORDER_2 + BINARY);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void withoutAStartingPointItStartsAtTheEndAndSoPrintsNothing() {
        assertThat(run("--topic", "orders")).isZero();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void maxStopsAfterThatManyRecords() {
        assertThat(run("--topic", "orders", "--from-beginning", "--max", "2")).isZero();
        assertThat(out.toString()).isEqualTo(ORDER_0 + ORDER_1);
    }

    @Test
    void fromOffsetAndFromTimeInOnePartition() {
        assertThat(run("--topic", "orders", "--partition", "0", "--from-offset", "1")).isZero();
        assertThat(out.toString()).isEqualTo(ORDER_1 + ORDER_2);
        out.getBuffer().setLength(0);

        assertThat(run("--topic", "orders", "--from-time", "2026-01-01T00:00:01.500Z")).isZero();
        assertThat(out.toString()).isEqualTo(ORDER_2);
        out.getBuffer().setLength(0);

        assertThat(run("--topic", "orders", "--from-time", Long.toString(T0 + 500))).isZero();
        assertThat(out.toString()).isEqualTo(ORDER_1 + ORDER_2 + BINARY);
        out.getBuffer().setLength(0);

        assertThat(run("--topic", "orders", "--partition", "0", "--from-time", "2026-01-01T01:00:01+01:00")).isZero();
        assertThat(out.toString()).isEqualTo(ORDER_1 + ORDER_2);
    }

    @Test
    void aGroupResumesWhereItsLastRunCommitted() {
        assertThat(run("--topic", "orders", "--group", "audit", "--from-beginning", "--max", "2")).isZero();
        assertThat(out.toString()).isEqualTo(ORDER_0 + ORDER_1);
        assertThat(store.committed("audit", "orders", 0)).hasValue(2);
        assertThat(store.committed("audit", "orders", 1)).isEmpty();
        out.getBuffer().setLength(0);

        // Partition 0 resumes at its commit; partition 1, never committed, starts at its end.
        assertThat(run("--topic", "orders", "--group", "audit")).isZero();
        assertThat(out.toString()).isEqualTo(ORDER_2);
        assertThat(store.committed("audit", "orders", 0)).hasValue(3);
        assertThat(store.lag("audit", "orders")).containsEntry(0, 0L);
    }

    @Test
    void followWaitsForNewRecordsUntilMax() throws Exception {
        CompletableFuture<Integer> tail = CompletableFuture.supplyAsync(
                // An explicit start: "the end" resolved after the appends below (a slow start) would wait forever.
                () -> run("--topic", "orders", "--partition", "0", "--from-offset", "3", "--follow", "--max", "2"));
        Thread.sleep(500);
        assertThat(tail).isNotDone();
        append(0, T0 + 3000, "o3", "\"text\"");
        append(0, T0 + 4000, "o4", "[4]");
        assertThat(tail.get(20, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).isEqualTo(line(0, 3, T0 + 3000, "\"key\":\"o3\",\"value\":\"\\\"text\\\"\"")
                + line(0, 4, T0 + 4000, "\"key\":\"o4\",\"value\":[4]"));
    }

    @Test
    void followOverSeveralPartitionsPicksUpEach() throws Exception {
        CompletableFuture<Integer> tail = CompletableFuture.supplyAsync(
                () -> run("--topic", "orders", "--from-time", Long.toString(T0 + 3500), "--follow", "--max", "2"));
        Thread.sleep(500);
        append(1, T0 + 5000, "p1", "one");
        // Longer than a round of short polls, so that partition 1's record is printed before the next append.
        Thread.sleep(1000);
        append(0, T0 + 6000, "p0", "zero");
        assertThat(tail.get(20, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).isEqualTo(line(1, 1, T0 + 5000, "\"key\":\"p1\",\"value\":\"one\"")
                + line(0, 3, T0 + 6000, "\"key\":\"p0\",\"value\":\"zero\""));
    }

    @Test
    void runtimeErrorsExitOneNamingTheCause() throws Exception {
        assertThat(run("--topic", "shipments")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("shardwire queue tail: topic 'shipments' does not exist at "
                + fixture.url() + " (topics: [orders])\n");
        err.getBuffer().setLength(0);

        assertThat(run("--topic", "orders", "--partition", "2")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo(
                "shardwire queue tail: topic 'orders' has no partition 2 (partitions: 0 to 1)\n");
        err.getBuffer().setLength(0);

        assertThat(run("--topic", "orders", "--partition", "0", "--from-offset", "9", "--follow")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("shardwire queue tail: GET /queue/topics/orders/partitions/0/records"
                + "?offset=9&maxRecords=500&maxBytes=1048576&waitMs=30000: HTTP 416: offset 9 is out of range, log"
                + " end is 3 (partition orders-0)\n");
        err.getBuffer().setLength(0);

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CommandLine command = new CommandLine(new ShardwireCommand());
        command.setErr(new PrintWriter(err, true));
        assertThat(command.execute("queue", "tail", "--topic", "orders", "--url", "http://127.0.0.1:" + port))
                .isEqualTo(1);
        assertThat(err.toString()).startsWith("shardwire queue tail: cannot connect to the queue API at"
                + " http://127.0.0.1:" + port + " for GET /queue/topics: ");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(run("--topic", "orders", "--max", "0")).isEqualTo(2);
        assertThat(err.toString()).startsWith("--max: 0 (expected: >= 1)\n");
        err.getBuffer().setLength(0);

        assertThat(run("--topic", "orders", "--from-time", "yesterday")).isEqualTo(2);
        assertThat(err.toString()).startsWith("Invalid value for option '--from-time': 'yesterday' is neither epoch"
                + " milliseconds nor an ISO-8601 time with a zone, such as 2026-01-31T12:00:00Z or"
                + " 2026-01-31T13:00:00+01:00\n");
        err.getBuffer().setLength(0);

        assertThat(run("--topic", "orders", "--from-beginning", "--from-offset", "1")).isEqualTo(2);
        assertThat(err.toString()).startsWith("Error: --from-beginning, --from-offset=N are mutually exclusive");
        err.getBuffer().setLength(0);

        assertThat(run("--from-beginning")).isEqualTo(2);
        assertThat(err.toString()).startsWith("Missing required option: '--topic=TOPIC'");
    }
}
