package io.shardwire.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.mq.log.Record;
import io.shardwire.mq.log.RecordBatch;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpEndpointTest {

    @TempDir
    Path dataDir;

    private QueueEndpointFixture fixture;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        fixture = new QueueEndpointFixture(dataDir);
        fixture.store().createTopic("orders", 1);
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        fixture.close();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(fixture.url() + path));
    }

    @Test
    void queueRequestsAreAnsweredWithTheApisStatusHeadersAndBody() throws Exception {
        HttpResponse<String> topics = send(request("/queue/topics"));
        assertThat(topics.statusCode()).isEqualTo(200);
        assertThat(topics.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(topics.body()).isEqualTo("{\"topics\":[{\"name\":\"orders\",\"partitions\":[{\"partition\":0,"
                + "\"earliestOffset\":0,\"latestOffset\":0}]}]}\n");

        fixture.store().append("orders", 0, RecordBatch.of(List.of(Record.of(5, null, utf8("x")))));
        HttpResponse<String> commit = send(request("/queue/groups/billing/offsets")
                .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"orders\",\"partition\":0,\"offset\":1}")));
        assertThat(commit.statusCode()).isEqualTo(204);
        assertThat(commit.body()).isEmpty();
        assertThat(fixture.store().committed("billing", "orders", 0)).hasValue(1);

        HttpResponse<String> wrongMethod = send(request("/queue/topics").DELETE());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");

        HttpResponse<String> health = send(request("/health"));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}\n");
        assertThat(send(request("/metrics")).statusCode()).isEqualTo(404);
    }

    @Test
    void aLongPollDoesNotHoldUpTheEventLoop() throws Exception {
        CompletableFuture<HttpResponse<String>> poll = http.sendAsync(
                request("/queue/topics/orders/partitions/0/records?offset=0&waitMs=20000").build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(200);
        // The endpoint has a single event loop thread: these could not be answered if the poll held it.
        long started = System.nanoTime();
        assertThat(send(request("/health")).statusCode()).isEqualTo(200);
        assertThat(send(request("/queue/topics")).statusCode()).isEqualTo(200);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
        assertThat(poll).isNotDone();

        fixture.store().append("orders", 0, RecordBatch.of(List.of(Record.of(7, null, utf8("{\"a\":1}")))));
        HttpResponse<String> answer = poll.get(10, TimeUnit.SECONDS);
        assertThat(answer.body()).isEqualTo("{\"records\":[{\"offset\":0,\"timestamp\":7,\"key\":null,\"headers\":{},"
                + "\"value\":{\"a\":1}}],\"nextOffset\":1}\n");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", fixture.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // The first waits 300 ms for records that never come; the health check behind it must not overtake it.
            out.write(("GET /queue/topics/orders/partitions/0/records?offset=0&waitMs=300 HTTP/1.1\r\n"
                    + "Host: x\r\n\r\n"
                    + "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String both = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int records = both.indexOf("{\"records\":[],\"nextOffset\":0}");
            int health = both.indexOf("{\"status\":\"UP\"}");
            assertThat(records).isPositive();
            assertThat(health).isGreaterThan(records);
        }
    }

    @Test
    void aClientThatLeavesDuringALongPollLeavesTheEndpointServing() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", fixture.port())) {
            socket.getOutputStream().write(("GET /queue/topics/orders/partitions/0/records?offset=0&waitMs=500"
                    + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        Thread.sleep(800);
        assertThat(send(request("/queue/topics/orders/partitions/0/records?offset=0")).body())
                .isEqualTo("{\"records\":[],\"nextOffset\":0}\n");
        assertThat(send(request("/queue/topics/orders/partitions/0/offset?at=latest").timeout(Duration.ofSeconds(5)))
                .body()).isEqualTo("{\"offset\":0}\n");
    }
}
