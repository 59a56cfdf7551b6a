package io.shardwire.proxy.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shardwire.mq.client.FetchResult;
import io.shardwire.mq.client.PartitionLag;
import io.shardwire.mq.client.PartitionRange;
import io.shardwire.mq.client.Payload;
import io.shardwire.mq.client.QueueClient;
import io.shardwire.mq.client.QueueRecord;
import io.shardwire.mq.client.TopicInfo;
import io.shardwire.mq.http.QueueHttpApi;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shardwire queue tail --topic T}: prints a topic's records as JSON lines, one record a line
 * ({@code topic, partition, offset, timestamp, key, value}, keys and values shown as the HTTP API shows them). It
 * stops after {@code --max} records, or at the end the log had when it started unless {@code --follow} is given.
 *
 * <p>It starts from {@code --from-*} if given; else, with {@code --group}, from the group's committed offsets (a
 * partition the group never committed on starts at its end, as Kafka's consumers do by default); else at the end.
 * With {@code --group} it commits each printed batch after printing it: at-least-once, so a run stopped between
 * printing and committing prints those records again next time.
 */
@Command(name = "tail",
        mixinStandardHelpOptions = true,
        description = {"Print a topic's records as JSON lines, one record a line.",
                "Stops after --max records, or at the current end of the log unless --follow is given."})
final class QueueTailCommand implements Callable<Integer> {

    /** Records asked for per fetch. */
    private static final int BATCH = 500;
    /**
     * Each partition's wait per idle round when following several: one long poll would hold up the others, so
     * this bounds how late a record on another partition shows.
     */
    private static final Duration SHARED_WAIT = Duration.ofMillis(200);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "the topic to print")
    String topic;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:9066", paramLabel = "URL",
            description = "the proxy's HTTP address (default: ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--partition", paramLabel = "P", description = "print only this partition (default: all)")
    Integer partition;

    @Option(names = "--group", paramLabel = "GROUP",
            description = "start from this consumer group's committed offsets and commit what is printed")
    String group;

    @ArgGroup(exclusive = true)
    StartingPoint from;

    /** Where to start instead of the group's offsets or the end; one of them at most. */
    static final class StartingPoint {
        @Option(names = "--from-beginning", description = "start at the earliest retained record")
        boolean beginning;

        @Option(names = "--from-offset", paramLabel = "N", description = "start at offset N of each partition")
        Long offset;

        @Option(names = "--from-time", paramLabel = "T", converter = TimeConverter.class,
                description = "start at the first record at or after T: epoch milliseconds, or ISO-8601 such as"
                        + " 2026-01-31T12:00:00Z")
        Long time;
    }

    @Option(names = "--max", paramLabel = "N", description = "stop after N records")
    Long max;

    @Option(names = "--follow", description = "wait for new records instead of stopping at the end of the log")
    boolean follow;

    private final ObjectMapper json = JsonMapper.builder().build();

    /** Reads a time as epoch milliseconds or an ISO-8601 date-time with a zone. */
    static final class TimeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            if (value.matches("\\d{1,18}")) {
                return Long.parseLong(value);
            }
            try {
                return Instant.parse(value).toEpochMilli();
            } catch (DateTimeParseException notAnInstant) {
                try {
                    return OffsetDateTime.parse(value).toInstant().toEpochMilli();
                } catch (DateTimeParseException notOffsetDateTime) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is neither epoch milliseconds"
                            + " nor an ISO-8601 time with a zone, such as 2026-01-31T12:00:00Z or"
                            + " 2026-01-31T13:00:00+01:00");
                }
            }
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        CommandLine commandLine = spec.commandLine();
        if (max != null && max < 1) {
            throw new CommandLine.ParameterException(commandLine, "--max: " + max + " (expected: >= 1)");
        }
        if (from != null && from.offset != null && from.offset < 0) {
            throw new CommandLine.ParameterException(commandLine, "--from-offset: " + from.offset
                    + " (expected: >= 0)");
        }
        QueueClient client;
        try {
            client = new QueueClient(url);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--" + e.getMessage());
        }
        try (client) {
            return tail(client, commandLine.getOut());
        } catch (IOException e) {
            commandLine.getErr().println("shardwire queue tail: " + e.getMessage());
            return 1;
        }
    }

    private int tail(QueueClient client, PrintWriter out) throws IOException, InterruptedException {
        List<TopicInfo> topics = client.topics();
        Optional<TopicInfo> info = topics.stream().filter(t -> t.name().equals(topic)).findFirst();
        if (info.isEmpty()) {
            return fail("topic '" + topic + "' does not exist at " + url + " (topics: "
                    + topics.stream().map(TopicInfo::name).toList() + ")");
        }
        List<PartitionRange> ranges = info.get().partitions();
        if (partition != null) {
            if (partition < 0 || partition >= ranges.size()) {
                return fail("topic '" + topic + "' has no partition " + partition + " (partitions: 0 to "
                        + (ranges.size() - 1) + ")");
            }
            ranges = List.of(ranges.get(partition));
        }
        Map<Integer, Long> positions = startPositions(client, ranges);
        Map<Integer, Long> ends = new HashMap<>();
        for (PartitionRange range : ranges) {
            ends.put(range.partition(), follow ? Long.MAX_VALUE : range.latestOffset());
        }

        long remaining = max == null ? Long.MAX_VALUE : max;
        List<Integer> active = new ArrayList<>(positions.keySet());
        boolean idle = false;
        while (remaining > 0 && !active.isEmpty()) {
            boolean printedAny = false;
            for (Iterator<Integer> it = active.iterator(); it.hasNext() && remaining > 0; ) {
                int p = it.next();
                long position = positions.get(p);
                long end = ends.get(p);
                if (position >= end) {
                    it.remove();
                    continue;
                }
                Duration wait = !follow ? Duration.ZERO
                        : active.size() == 1 ? Duration.ofMillis(QueueHttpApi.MAX_WAIT_MS)
                        : idle ? SHARED_WAIT : Duration.ZERO;
                // Offsets in a partition are consecutive, so end - position records remain before the end.
                int wanted = (int) Math.min(BATCH, Math.min(remaining, end - position));
                FetchResult fetched = client.fetch(topic, p, position, wanted, QueueHttpApi.DEFAULT_MAX_BYTES, wait);
                if (fetched.records().isEmpty()) {
                    if (!follow) {
                        it.remove();
                    }
                    continue;
                }
                for (QueueRecord record : fetched.records()) {
                    out.println(line(record));
                }
                out.flush();
                remaining -= fetched.records().size();
                positions.put(p, fetched.nextOffset());
                printedAny = true;
                if (group != null) {
                    client.commit(group, topic, p, fetched.nextOffset());
                }
            }
            idle = !printedAny;
        }
        return 0;
    }

    private Map<Integer, Long> startPositions(QueueClient client, List<PartitionRange> ranges)
            throws IOException, InterruptedException {
        Map<Integer, OptionalLong> committed = new HashMap<>();
        if (group != null && from == null) {
            for (PartitionLag lag : client.lag(group, topic)) {
                committed.put(lag.partition(), lag.committedOffset());
            }
        }
        Map<Integer, Long> positions = new LinkedHashMap<>();
        for (PartitionRange range : ranges) {
            int p = range.partition();
            long position;
            if (from != null && from.beginning) {
                position = range.earliestOffset();
            } else if (from != null && from.offset != null) {
                position = from.offset;
            } else if (from != null && from.time != null) {
                position = client.offsetForTimestamp(topic, p, from.time);
            } else {
                position = committed.getOrDefault(p, OptionalLong.empty()).orElse(range.latestOffset());
            }
            positions.put(p, position);
        }
        return positions;
    }

    private String line(QueueRecord record) throws IOException {
        ObjectNode line = json.createObjectNode()
                .put("topic", record.topic())
                .put("partition", record.partition())
                .put("offset", record.offset())
                .put("timestamp", record.timestamp());
        Payload.put(line, "key", record.key());
        Payload.put(line, "value", record.value());
        return json.writeValueAsString(line);
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("shardwire queue tail: " + message);
        return 1;
    }
}
