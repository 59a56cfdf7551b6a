package io.shardwire.mq.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A client of the queue's HTTP API on a Shardwire proxy's HTTP port (9066 by default).
 *
 * <p>Fetching does not commit: a consumer processes what {@link #fetch} returns and then calls {@link #commit} with
 * the {@link FetchResult#nextOffset}, which gives at-least-once delivery (see {@code docs/queue.md} for exactly-once).
 * Errors the API reports come as {@link QueueApiException}, an offset out of range as
 * {@link FetchOutOfRangeException}; a proxy that cannot be reached as a plain {@link IOException} naming the URL.
 *
 * <p><b>Thread-safety:</b> thread-safe; one client may serve many threads. Close it to release its connections.
 */
public final class QueueClient implements AutoCloseable {

    /** The proxy's HTTP port on this machine, with the default configuration. */
    public static final URI DEFAULT_URL = URI.create("http://127.0.0.1:9066");

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long an answer may take beyond a fetch's own wait. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final String base;
    private final HttpClient http;
    /** Reads numbers digit for digit, so that JSON values reach the caller as the producer wrote them. */
    private final ObjectMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /**
     * @param url the proxy's HTTP address, such as {@code http://127.0.0.1:9066}
     * @throws IllegalArgumentException if it is not an http or https URL with a host
     */
    public QueueClient(URI url) {
        if (url == null || url.getHost() == null
                || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException("url: '" + url + "' (expected: http://host:port, such as "
                    + DEFAULT_URL + ")");
        }
        String text = url.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    /**
     * @return every topic with the offset range of each partition, by name
     * @throws IOException          if the API cannot be reached or answers an error
     * @throws InterruptedException if interrupted while waiting for the answer
     */
    public List<TopicInfo> topics() throws IOException, InterruptedException {
        JsonNode answer = get("/queue/topics", ANSWER_TIMEOUT);
        List<TopicInfo> topics = new ArrayList<>();
        for (JsonNode topic : answer.path("topics")) {
            List<PartitionRange> partitions = new ArrayList<>();
            for (JsonNode partition : topic.path("partitions")) {
                partitions.add(new PartitionRange(partition.path("partition").asInt(),
                        partition.path("earliestOffset").asLong(), partition.path("latestOffset").asLong()));
            }
            topics.add(new TopicInfo(topic.path("name").asText(), partitions));
        }
        return topics;
    }

    /**
     * Fetches up to 100 records or 1 MiB from an offset, without waiting.
     *
     * @param topic     the topic
     * @param partition the partition
     * @param offset    the first offset wanted
     * @return the records and the offset to fetch from next
     * @throws FetchOutOfRangeException if the offset is below the earliest retained or past the log end
     * @throws IOException              if the API cannot be reached or answers another error
     * @throws InterruptedException     if interrupted while waiting for the answer
     */
    public FetchResult fetch(String topic, int partition, long offset) throws IOException, InterruptedException {
        return fetch(topic, partition, offset, 100, 1 << 20, Duration.ZERO);
    }

    /**
     * Fetches records from an offset, waiting for the first one if there is none yet (a long poll).
     *
     * @param topic      the topic
     * @param partition  the partition
     * @param offset     the first offset wanted
     * @param maxRecords the most records to return, 1 to 10,000
     * @param maxBytes   the most record bytes to return, 1 to 16 MiB (the first record comes even if larger)
     * @param wait       how long to wait for a record; the server waits 30 s at most
     * @return the records and the offset to fetch from next; no records if none arrived within the wait
     * @throws FetchOutOfRangeException if the offset is below the earliest retained or past the log end
     * @throws IOException              if the API cannot be reached or answers another error
     * @throws InterruptedException     if interrupted while waiting for the answer
     */
    public FetchResult fetch(String topic, int partition, long offset, int maxRecords, int maxBytes, Duration wait)
            throws IOException, InterruptedException {
        String path = partitionPath(topic, partition) + "/records?offset=" + offset + "&maxRecords=" + maxRecords
                + "&maxBytes=" + maxBytes + "&waitMs=" + wait.toMillis();
        JsonNode answer = get(path, wait.plus(ANSWER_TIMEOUT));
        List<QueueRecord> records = new ArrayList<>();
        for (JsonNode record : answer.path("records")) {
            records.add(record(topic, partition, record));
        }
        return new FetchResult(records, answer.path("nextOffset").asLong());
    }

    /**
     * @param topic     the topic
     * @param partition the partition
     * @return the partition's earliest retained offset
     * @throws IOException          if the API cannot be reached or answers an error
     * @throws InterruptedException if interrupted while waiting for the answer
     */
    public long earliestOffset(String topic, int partition) throws IOException, InterruptedException {
        return offset(topic, partition, "at=earliest");
    }

    /**
     * @param topic     the topic
     * @param partition the partition
     * @return the partition's log end offset: reading from there yields only records appended later
     * @throws IOException          if the API cannot be reached or answers an error
     * @throws InterruptedException if interrupted while waiting for the answer
     */
    public long latestOffset(String topic, int partition) throws IOException, InterruptedException {
        return offset(topic, partition, "at=latest");
    }

    /**
     * @param topic       the topic
     * @param partition   the partition
     * @param timestampMs a time, ms since the epoch
     * @return the offset of the first record with a timestamp at or after it, or the log end offset if none
     * @throws IOException          if the API cannot be reached or answers an error
     * @throws InterruptedException if interrupted while waiting for the answer
     */
    public long offsetForTimestamp(String topic, int partition, long timestampMs)
            throws IOException, InterruptedException {
        return offset(topic, partition, "timestamp=" + timestampMs);
    }

    /**
     * @param topic      the topic
     * @param partition  the partition
     * @param producerId a producer (for the CDC, its shard group)
     * @param sequence   a position of that producer, by its sequence
     * @return the offset right after the producer's last batch at or before that position: replaying from there
     *     yields everything appended after the producer passed it
     * @throws IOException          if the API cannot be reached or answers an error
     * @throws InterruptedException if interrupted while waiting for the answer
     */
    public long offsetAfter(String topic, int partition, String producerId, long sequence)
            throws IOException, InterruptedException {
        return offset(topic, partition, "producer=" + encode(producerId) + "&sequence=" + sequence);
    }

    private long offset(String topic, int partition, String query) throws IOException, InterruptedException {
        return get(partitionPath(topic, partition) + "/offset?" + query, ANSWER_TIMEOUT).path("offset").asLong();
    }

    /**
     * @return the consumer groups that have committed an offset, sorted
     * @throws IOException          if the API cannot be reached or answers an error
     * @throws InterruptedException if interrupted while waiting for the answer
     */
    public List<String> groups() throws IOException, InterruptedException {
        List<String> groups = new ArrayList<>();
        for (JsonNode group : get("/queue/groups", ANSWER_TIMEOUT).path("groups")) {
            groups.add(group.asText());
        }
        return groups;
    }

    /**
     * A group's committed offset and lag on every partition of a topic, committed or not.
     *
     * @param group the group
     * @param topic the topic
     * @return one entry per partition, by number
     * @throws IOException          if the API cannot be reached or answers an error
     * @throws InterruptedException if interrupted while waiting for the answer
     */
    public List<PartitionLag> lag(String group, String topic) throws IOException, InterruptedException {
        return lag(get("/queue/groups/" + encode(group) + "?topic=" + encode(topic), ANSWER_TIMEOUT));
    }

    /**
     * A group's committed offset and lag on every partition of every topic it committed an offset on.
     *
     * @param group the group
     * @return one entry per partition, by topic and number
     * @throws QueueApiException    with status 404 if the group never committed
     * @throws IOException          if the API cannot be reached or answers another error
     * @throws InterruptedException if interrupted while waiting for the answer
     */
    public List<PartitionLag> lag(String group) throws IOException, InterruptedException {
        return lag(get("/queue/groups/" + encode(group), ANSWER_TIMEOUT));
    }

    private static List<PartitionLag> lag(JsonNode answer) {
        List<PartitionLag> lag = new ArrayList<>();
        for (JsonNode row : answer.path("partitions")) {
            JsonNode committed = row.path("committedOffset");
            lag.add(new PartitionLag(row.path("topic").asText(), row.path("partition").asInt(),
                    committed.isIntegralNumber() ? OptionalLong.of(committed.asLong()) : OptionalLong.empty(),
                    row.path("latestOffset").asLong(), row.path("lag").asLong()));
        }
        return lag;
    }

    /**
     * Commits a group's next offset for a partition; durable when this returns.
     *
     * @param group     the group: letters, digits, '.', '_' and '-'
     * @param topic     the topic
     * @param partition the partition
     * @param offset    the next offset the group will consume (one past the last record processed)
     * @throws IOException          if the API cannot be reached or answers an error
     * @throws InterruptedException if interrupted while waiting for the answer
     */
    public void commit(String group, String topic, int partition, long offset)
            throws IOException, InterruptedException {
        String path = "/queue/groups/" + encode(group) + "/offsets";
        byte[] body = json.writeValueAsBytes(json.createObjectNode()
                .put("topic", topic).put("partition", partition).put("offset", offset));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(ANSWER_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        send(request, "POST " + path);
    }

    /** Releases the client's connections. */
    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "queue client of " + base;
    }

    private QueueRecord record(String topic, int partition, JsonNode record) {
        Map<String, Payload> headers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> header : record.path("headers").properties()) {
            headers.put(header.getKey(), header.getValue().isTextual()
                    ? new Payload.Text(header.getValue().asText())
                    : new Payload.Json(header.getValue()));
        }
        for (Map.Entry<String, JsonNode> header : record.path("headersBase64").properties()) {
            headers.put(header.getKey(), new Payload.Binary(Base64.getDecoder().decode(header.getValue().asText())));
        }
        return new QueueRecord(topic, partition, record.path("offset").asLong(), record.path("timestamp").asLong(),
                payload(record, "key"), headers, payload(record, "value"));
    }

    /** Reads a payload the way {@link Payload#put} writes it. */
    private static Payload payload(JsonNode record, String field) {
        JsonNode base64 = record.get(field + "Base64");
        if (base64 != null) {
            return new Payload.Binary(Base64.getDecoder().decode(base64.asText()));
        }
        JsonNode node = record.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        return node.isTextual() ? new Payload.Text(node.asText()) : new Payload.Json(node);
    }

    private JsonNode get(String path, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET().build();
        return send(request, "GET " + path);
    }

    /** Sends a request; returns the JSON answer, or null for 204; throws for an error status. */
    private JsonNode send(HttpRequest request, String what) throws IOException, InterruptedException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new IOException("cannot connect to the queue API at " + base + " for " + what + ": "
                    + (e.getMessage() == null ? "connection refused" : e.getMessage())
                    + " (is the proxy running, and is that its HTTP port?)", e);
        } catch (HttpTimeoutException e) {
            throw new IOException("the queue API at " + base + " did not answer " + what + " in time: "
                    + e.getMessage(), e);
        }
        if (response.statusCode() == 204) {
            return null;
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new QueueApiException(what, response.statusCode(), "the answer is not JSON ("
                    + e.getOriginalMessage() + "); is " + base + " a Shardwire proxy's HTTP port?");
        }
        if (response.statusCode() == 416) {
            throw new FetchOutOfRangeException(what, answer.path("error").asText(),
                    answer.path("earliestOffset").asLong(), answer.path("latestOffset").asLong());
        }
        if (response.statusCode() >= 300) {
            throw new QueueApiException(what, response.statusCode(),
                    answer.path("error").asText("(no error message: " + answer + ")"));
        }
        return answer;
    }

    private static String partitionPath(String topic, int partition) {
        return "/queue/topics/" + encode(topic) + "/partitions/" + partition;
    }

    /** Percent-encodes a path segment or query value (a space as %20, which both accept). */
    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
