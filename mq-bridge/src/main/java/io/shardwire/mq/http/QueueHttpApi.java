package io.shardwire.mq.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.Topic;
import io.shardwire.mq.bridge.BridgeStatus;
import io.shardwire.mq.log.LogRecord;
import io.shardwire.mq.log.OffsetOutOfRangeException;
import io.shardwire.mq.log.PartitionLog;
import io.shardwire.mq.log.SourcePosition;
import io.shardwire.mq.log.TopicPartition;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue's HTTP API over a {@link QueueStore}, independent of the HTTP server that carries it: the caller hands
 * in the method, the decoded path, the query parameters and the body, and sends back the {@link QueueHttpResponse}.
 *
 * <p>Endpoints, all JSON (see {@code docs/queue.md}):
 * <ul>
 *   <li>{@code GET /queue/topics}: topics, their partitions and offset ranges</li>
 *   <li>{@code GET /queue/topics/{topic}/partitions/{p}/records?offset=N&maxRecords=&maxBytes=&waitMs=}: records
 *       from an offset, waiting up to {@code waitMs} (at most {@link #MAX_WAIT_MS}) for the first one</li>
 *   <li>{@code GET /queue/topics/{topic}/partitions/{p}/offset?at=earliest|latest}, {@code ?timestamp=T} or
 *       {@code ?producer=X&sequence=S}: an offset to start reading from</li>
 *   <li>{@code GET /queue/groups}, {@code GET /queue/groups/{group}[?topic=T]}: groups, committed offsets, lag</li>
 *   <li>{@code POST /queue/groups/{group}/offsets} with {@code {"topic", "partition", "offset"}}: a durable commit,
 *       answered 204</li>
 *   <li>{@code GET /queue/status}: disk use against the quota, whether appends are blocked on it, and each bridge's
 *       state, deliveries and lag</li>
 * </ul>
 * Errors are {@code {"error": "..."}} with 400 (bad input), 404 (no such topic, partition, group or endpoint), 405,
 * 416 (offset out of range, with {@code earliestOffset} and {@code latestOffset}) or 500.
 *
 * <p><b>Blocking:</b> {@link #handle} may block, up to {@link #MAX_WAIT_MS} for a fetch and for an fsync on a commit;
 * call it on a thread that may block (a virtual thread), never on an event loop. <b>Thread-safety:</b> thread-safe.
 */
public final class QueueHttpApi {

    /** Longest a fetch waits for records; a larger {@code waitMs} waits this long. */
    public static final long MAX_WAIT_MS = 30_000;

    /** Most records one fetch may ask for. */
    public static final int MAX_RECORDS_LIMIT = 10_000;

    /** Most record bytes one fetch may ask for. */
    public static final int MAX_BYTES_LIMIT = 16 << 20;

    /** Records a fetch returns at most unless it says otherwise. */
    public static final int DEFAULT_MAX_RECORDS = 100;

    /** Record bytes a fetch returns at most unless it says otherwise. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(QueueHttpApi.class);
    private static final String ROOT = "/queue";
    private static final String ENDPOINTS = "GET /queue/topics, GET /queue/topics/{topic}/partitions/{p}/records,"
            + " GET /queue/topics/{topic}/partitions/{p}/offset, GET /queue/groups, GET /queue/groups/{group},"
            + " POST /queue/groups/{group}/offsets, GET /queue/status";

    private final QueueStore store;
    private final Supplier<List<BridgeStatus>> bridges;
    private final ObjectMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * @param store the store to serve
     */
    public QueueHttpApi(QueueStore store) {
        this(store, List::of);
    }

    /**
     * @param store   the store to serve
     * @param bridges the running bridges' status, for {@code /queue/status}
     */
    public QueueHttpApi(QueueStore store, Supplier<List<BridgeStatus>> bridges) {
        this.store = store;
        this.bridges = bridges;
    }

    /**
     * @param path a decoded request path
     * @return whether the path is the API's to answer (it is {@code /queue} or under it)
     */
    public static boolean handles(String path) {
        return path.equals(ROOT) || path.startsWith(ROOT + "/");
    }

    /**
     * Answers one request. Never throws: every failure becomes an error response.
     *
     * @param method the HTTP method, upper case
     * @param path   the decoded path, without the query
     * @param query  the decoded query parameters, each with its values in order
     * @param body   the request body, empty for none
     * @return the response
     */
    public QueueHttpResponse handle(String method, String path, Map<String, List<String>> query, byte[] body) {
        try {
            return route(method, path, new QueryParameters(query), body);
        } catch (RequestException e) {
            return error(e.status(), e.getMessage());
        } catch (OffsetOutOfRangeException e) {
            ObjectNode answer = json.createObjectNode()
                    .put("error", e.getMessage())
                    .put("earliestOffset", e.earliest())
                    .put("latestOffset", e.logEnd());
            return QueueHttpResponse.json(416, bytes(answer));
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        } catch (IOException e) {
            LOG.error("{} {} failed", method, path, e);
            return error(500, method + " " + path + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(503, method + " " + path + " was interrupted: the proxy is stopping");
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", method, path, e);
            return error(500, method + " " + path + " failed: " + e);
        }
    }

    private interface Endpoint {
        QueueHttpResponse answer() throws IOException, InterruptedException;
    }

    private QueueHttpResponse route(String method, String path, QueryParameters query, byte[] body)
            throws IOException, InterruptedException {
        String[] segments = path.length() > ROOT.length()
                ? path.substring(ROOT.length() + 1).split("/", -1)
                : new String[0];
        if (matches(segments, "topics")) {
            return on(method, "GET", path, () -> topics(query));
        }
        if (matches(segments, "topics", "*", "partitions", "*", "records")) {
            return on(method, "GET", path, () -> records(segments[1], segments[3], query));
        }
        if (matches(segments, "topics", "*", "partitions", "*", "offset")) {
            return on(method, "GET", path, () -> offset(segments[1], segments[3], query));
        }
        if (matches(segments, "groups")) {
            return on(method, "GET", path, () -> groups(query));
        }
        if (matches(segments, "groups", "*")) {
            return on(method, "GET", path, () -> group(segments[1], query));
        }
        if (matches(segments, "groups", "*", "offsets")) {
            return on(method, "POST", path, () -> commit(segments[1], query, body));
        }
        if (matches(segments, "status")) {
            return on(method, "GET", path, () -> status(query));
        }
        return error(404, "no such endpoint: " + method + " " + path + " (endpoints: " + ENDPOINTS + ")");
    }

    /** Whether the path segments match a pattern in which "*" stands for any non-empty segment. */
    private static boolean matches(String[] segments, String... pattern) {
        if (segments.length != pattern.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].equals("*") ? segments[i].isEmpty() : !pattern[i].equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    private QueueHttpResponse on(String method, String allowed, String path, Endpoint endpoint)
            throws IOException, InterruptedException {
        if (!method.equals(allowed)) {
            return QueueHttpResponse.methodNotAllowed(allowed, bytes(json.createObjectNode()
                    .put("error", "use " + allowed + " for " + path + ", not " + method)));
        }
        return endpoint.answer();
    }

    private QueueHttpResponse status(QueryParameters query) {
        query.allowOnly();
        ObjectNode answer = json.createObjectNode()
                .put("usedBytes", store.usedBytes())
                .put("diskQuotaBytes", store.settings().diskQuotaBytes())
                .put("blockedOnQuota", store.isBlockedOnQuota());
        ArrayNode list = answer.putArray("bridges");
        for (BridgeStatus bridge : bridges.get()) {
            list.addObject()
                    .put("name", bridge.name())
                    .put("topic", bridge.topic())
                    .put("group", bridge.group())
                    .put("state", bridge.state().name())
                    .put("delivered", bridge.delivered())
                    .put("lag", bridge.lag())
                    .put("lastError", bridge.lastError().orElse(null));
        }
        return ok(answer);
    }

    private QueueHttpResponse topics(QueryParameters query) {
        query.allowOnly();
        ObjectNode answer = json.createObjectNode();
        ArrayNode topics = answer.putArray("topics");
        for (Topic topic : store.topics()) {
            ObjectNode entry = topics.addObject().put("name", topic.name());
            ArrayNode partitions = entry.putArray("partitions");
            for (PartitionLog log : topic.partitions()) {
                partitions.addObject()
                        .put("partition", log.partition().partition())
                        .put("earliestOffset", log.logStartOffset())
                        .put("latestOffset", log.logEndOffset());
            }
        }
        return ok(answer);
    }

    private QueueHttpResponse records(String topicName, String partitionText, QueryParameters query)
            throws IOException, InterruptedException {
        query.allowOnly("offset", "maxRecords", "maxBytes", "waitMs");
        TopicPartition partition = partition(topicName, partitionText);
        long offset = query.requiredLong("offset", 0, Long.MAX_VALUE);
        int maxRecords = (int) query.optionalLong("maxRecords", DEFAULT_MAX_RECORDS, 1, MAX_RECORDS_LIMIT);
        int maxBytes = (int) query.optionalLong("maxBytes", DEFAULT_MAX_BYTES, 1, MAX_BYTES_LIMIT);
        long waitMs = Math.min(MAX_WAIT_MS, query.optionalLong("waitMs", 0, 0, Long.MAX_VALUE));
        List<LogRecord> records = store.fetch(partition.topic(), partition.partition(), offset, maxRecords, maxBytes,
                Duration.ofMillis(waitMs));
        ObjectNode answer = json.createObjectNode();
        ArrayNode array = answer.putArray("records");
        for (LogRecord record : records) {
            RecordJson.encode(record, array.addObject());
        }
        answer.put("nextOffset", records.isEmpty() ? offset : records.getLast().offset() + 1);
        return ok(answer);
    }

    private QueueHttpResponse offset(String topicName, String partitionText, QueryParameters query)
            throws IOException {
        query.allowOnly("at", "timestamp", "producer", "sequence");
        TopicPartition partition = partition(topicName, partitionText);
        String topic = partition.topic();
        int p = partition.partition();
        int forms = (query.has("at") ? 1 : 0) + (query.has("timestamp") ? 1 : 0)
                + (query.has("producer") || query.has("sequence") ? 1 : 0);
        if (forms != 1) {
            throw new RequestException(400, "give exactly one of at=earliest|latest, timestamp=T or"
                    + " producer=X&sequence=S (got " + (forms == 0 ? "none" : forms + " of them") + ")");
        }
        long offset;
        Optional<String> at = query.string("at");
        if (at.isPresent()) {
            offset = switch (at.get()) {
                case "earliest" -> store.earliestOffset(topic, p);
                case "latest" -> store.latestOffset(topic, p);
                default -> throw new RequestException(400, "query parameter at: '" + at.get()
                        + "' (expected: earliest or latest)");
            };
        } else if (query.has("timestamp")) {
            offset = store.offsetForTimestamp(topic, p, query.requiredLong("timestamp", 0, Long.MAX_VALUE));
        } else {
            String producer = query.string("producer").orElseThrow(() -> new RequestException(400,
                    "query parameter producer is required with sequence (the producer whose position it is)"));
            long sequence = query.requiredLong("sequence", 0, Long.MAX_VALUE);
            // Positions are ordered by sequence alone, so the producer's own encoding is not needed to seek.
            offset = store.offsetAfter(topic, p, producer, new SourcePosition(sequence, new byte[0]));
        }
        return ok(json.createObjectNode().put("offset", offset));
    }

    private QueueHttpResponse groups(QueryParameters query) {
        query.allowOnly();
        ObjectNode answer = json.createObjectNode();
        ArrayNode groups = answer.putArray("groups");
        store.groups().groups().forEach(groups::add);
        return ok(answer);
    }

    private QueueHttpResponse group(String group, QueryParameters query) {
        query.allowOnly("topic");
        Set<String> topics = new TreeSet<>();
        Optional<String> topic = query.string("topic");
        if (topic.isPresent()) {
            topics.add(topic(topic.get()).name());
        } else {
            Map<TopicPartition, Long> committed = store.groups().committed(group);
            if (committed.isEmpty()) {
                throw new RequestException(404, "group '" + group + "' has committed no offsets (groups: "
                        + store.groups().groups() + "); add ?topic=T to see its lag on topic T");
            }
            committed.keySet().stream()
                    .map(TopicPartition::topic)
                    .filter(name -> store.topic(name).isPresent())
                    .forEach(topics::add);
        }
        ObjectNode answer = json.createObjectNode().put("group", group);
        ArrayNode partitions = answer.putArray("partitions");
        for (String name : topics) {
            Map<Integer, Long> lag = store.lag(group, name);
            for (Map.Entry<Integer, Long> entry : lag.entrySet()) {
                int p = entry.getKey();
                ObjectNode row = partitions.addObject().put("topic", name).put("partition", p);
                OptionalLong committed = store.committed(group, name, p);
                if (committed.isPresent()) {
                    row.put("committedOffset", committed.getAsLong());
                } else {
                    row.putNull("committedOffset");
                }
                row.put("latestOffset", store.latestOffset(name, p)).put("lag", entry.getValue());
            }
        }
        return ok(answer);
    }

    private QueueHttpResponse commit(String group, QueryParameters query, byte[] body) throws IOException {
        query.allowOnly();
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new RequestException(400, "request body is not valid JSON: " + e.getOriginalMessage()
                    + " (expected: {\"topic\": T, \"partition\": P, \"offset\": N})");
        }
        if (request == null || !request.isObject()) {
            throw new RequestException(400, "request body: " + (request == null || request.isMissingNode()
                    ? "empty" : request.getNodeType().toString().toLowerCase())
                    + " (expected: {\"topic\": T, \"partition\": P, \"offset\": N})");
        }
        for (Map.Entry<String, JsonNode> property : request.properties()) {
            String field = property.getKey();
            if (!Set.of("topic", "partition", "offset").contains(field)) {
                throw new RequestException(400, "request body field '" + field
                        + "' is unknown (expected: topic, partition, offset)");
            }
        }
        JsonNode topicNode = request.path("topic");
        if (!topicNode.isTextual()) {
            throw new RequestException(400, "request body field topic: " + topicNode
                    + " (expected: a topic name as a string)");
        }
        int partitionNumber = (int) integerField(request, "partition", Integer.MAX_VALUE);
        long offset = integerField(request, "offset", Long.MAX_VALUE);
        TopicPartition partition = partition(topic(topicNode.asText()), partitionNumber);
        store.commit(group, partition.topic(), partition.partition(), offset);
        return QueueHttpResponse.noContent();
    }

    private static long integerField(JsonNode request, String field, long max) {
        JsonNode node = request.path(field);
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0 || node.asLong() > max) {
            throw new RequestException(400, "request body field " + field + ": "
                    + (node.isMissingNode() ? "missing" : node.toString()) + " (expected: an integer from 0 to "
                    + max + ")");
        }
        return node.asLong();
    }

    private Topic topic(String name) {
        return store.topic(name).orElseThrow(() -> new RequestException(404, "topic '" + name
                + "' does not exist (topics: " + store.topics().stream().map(Topic::name).toList() + ")"));
    }

    private TopicPartition partition(String topicName, String partitionText) {
        Topic topic = topic(topicName);
        int partition;
        try {
            partition = Integer.parseInt(partitionText);
        } catch (NumberFormatException e) {
            throw new RequestException(400, "partition '" + partitionText + "' of topic '" + topicName
                    + "' is not a partition number (expected: 0 to " + (topic.partitionCount() - 1) + ")");
        }
        return partition(topic, partition);
    }

    private static TopicPartition partition(Topic topic, int partition) {
        if (partition < 0 || partition >= topic.partitionCount()) {
            throw new RequestException(404, "topic '" + topic.name() + "' has no partition " + partition
                    + " (partitions: 0 to " + (topic.partitionCount() - 1) + ")");
        }
        return new TopicPartition(topic.name(), partition);
    }

    private QueueHttpResponse ok(ObjectNode answer) {
        return QueueHttpResponse.json(200, bytes(answer));
    }

    private QueueHttpResponse error(int status, String message) {
        return QueueHttpResponse.json(status, bytes(json.createObjectNode().put("error", message)));
    }

    /** Serializes with a trailing newline, so that curl output ends its line. */
    private byte[] bytes(JsonNode node) {
        try {
            byte[] body = json.writeValueAsBytes(node);
            byte[] line = Arrays.copyOf(body, body.length + 1);
            line[body.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree: " + e.getOriginalMessage(), e);
        }
    }
}
