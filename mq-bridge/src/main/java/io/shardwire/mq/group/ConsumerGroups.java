package io.shardwire.mq.group;

import io.shardwire.mq.log.TopicPartition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committed offsets of every consumer group, one {@code <group>.offsets} file per group in a directory of their
 * own. A committed offset is the next offset the group will consume, as in Kafka.
 *
 * <p><b>Delivery.</b> A consumer that processes records and then commits gets at-least-once delivery: a crash between
 * the two replays what was processed since the last commit. For exactly-once, a consumer stores the next offset in
 * the same transaction as the effects of processing (in its own database), and on restart fetches from the offset
 * found there rather than from the group's commit; the group commit then only serves to report lag.
 *
 * <p><b>Invariant:</b> what {@link #committed} returns has been forced to disk. <b>Thread-safety:</b> thread-safe;
 * commits to one group are serialized, commits to different groups run in parallel, reads never block.
 */
public final class ConsumerGroups {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroups.class);
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    /** A group's offsets, replaced whole (copy on write) after each durable commit. */
    private static final class Group {
        private volatile Map<TopicPartition, Long> offsets;

        Group(Map<TopicPartition, Long> offsets) {
            this.offsets = Map.copyOf(offsets);
        }
    }

    private final Path dir;
    private final ConcurrentHashMap<String, Group> groups = new ConcurrentHashMap<>();

    private ConsumerGroups(Path dir) {
        this.dir = dir;
    }

    /**
     * Loads every group's offsets from a directory, creating it if needed.
     *
     * @param dir the directory of the {@code .offsets} files
     * @return the groups
     * @throws IOException if the directory cannot be read or an offsets file is damaged
     */
    public static ConsumerGroups open(Path dir) throws IOException {
        Files.createDirectories(dir);
        ConsumerGroups consumerGroups = new ConsumerGroups(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(GroupOffsetsFile.SUFFIX + ".tmp")) {
                    Files.delete(file);
                    LOG.info("Removed {}, left by a commit that a crash interrupted", file);
                } else if (name.endsWith(GroupOffsetsFile.SUFFIX)) {
                    String group = name.substring(0, name.length() - GroupOffsetsFile.SUFFIX.length());
                    consumerGroups.groups.put(group, new Group(GroupOffsetsFile.read(file)));
                }
            }
        }
        return consumerGroups;
    }

    /**
     * Commits offsets for a group, durably, all or none.
     *
     * @param group   the group: letters, digits, '.', '_' and '-', at most 200 characters
     * @param offsets the next offset to consume per partition, each &gt;= 0
     * @throws IOException if the offsets file cannot be written; the previous commit then stands
     */
    public void commit(String group, Map<TopicPartition, Long> offsets) throws IOException {
        checkGroupName(group);
        offsets.forEach((partition, offset) -> {
            if (offset == null || offset < 0) {
                throw new IllegalArgumentException("offset for " + partition + ": " + offset + " (expected: >= 0)");
            }
        });
        Group state = groups.computeIfAbsent(group, name -> new Group(Map.of()));
        synchronized (state) {
            Map<TopicPartition, Long> updated = new HashMap<>(state.offsets);
            updated.putAll(offsets);
            GroupOffsetsFile.write(dir.resolve(group + GroupOffsetsFile.SUFFIX), updated);
            state.offsets = Map.copyOf(updated);
        }
    }

    /**
     * Commits one partition's offset for a group.
     *
     * @param group     the group
     * @param partition the partition
     * @param offset    the next offset to consume
     * @throws IOException if the offsets file cannot be written
     */
    public void commit(String group, TopicPartition partition, long offset) throws IOException {
        commit(group, Map.of(partition, offset));
    }

    /**
     * @param group     the group
     * @param partition the partition
     * @return the group's committed offset for the partition, if it committed one
     */
    public OptionalLong committed(String group, TopicPartition partition) {
        Group state = groups.get(group);
        Long offset = state == null ? null : state.offsets.get(partition);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /**
     * @param group the group
     * @return every committed offset of the group
     */
    public Map<TopicPartition, Long> committed(String group) {
        Group state = groups.get(group);
        return state == null ? Map.of() : state.offsets;
    }

    /** @return the names of the groups that have committed, sorted */
    public Set<String> groups() {
        return new TreeSet<>(groups.keySet());
    }

    private static void checkGroupName(String group) {
        if (group == null || !GROUP_NAME.matcher(group).matches() || group.equals(".") || group.equals("..")) {
            throw new IllegalArgumentException("group: '" + group + "' (expected: 1 to 200 letters, digits, '.', '_'"
                    + " or '-', not '.' or '..')");
        }
    }
}
