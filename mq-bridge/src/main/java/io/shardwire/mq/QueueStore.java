package io.shardwire.mq;

import io.shardwire.mq.group.ConsumerGroups;
import io.shardwire.mq.log.AppendResult;
import io.shardwire.mq.log.DurableFiles;
import io.shardwire.mq.log.FsyncPolicy;
import io.shardwire.mq.log.LogRecord;
import io.shardwire.mq.log.OffsetOutOfRangeException;
import io.shardwire.mq.log.PartitionLog;
import io.shardwire.mq.log.Record;
import io.shardwire.mq.log.RecordBatch;
import io.shardwire.mq.log.RetentionPolicy;
import io.shardwire.mq.log.SourcePosition;
import io.shardwire.mq.log.TopicPartition;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue's root: every topic under a data directory, the consumer groups, retention and the disk quota.
 *
 * <p>Layout: {@code <dataDir>/<topic>-<partition>/} per partition (see {@link PartitionLog}) and
 * {@code <dataDir>/__consumer_groups/<group>.offsets} per group (see {@link ConsumerGroups}).
 *
 * <p><b>Background work</b>, on one daemon thread: under {@link FsyncPolicy#INTERVAL} every partition is forced every
 * {@link QueueSettings#fsyncIntervalMs}; retention runs every {@link QueueSettings#retentionCheckIntervalMs}.
 *
 * <p><b>Disk quota.</b> When the segments of all partitions take {@link QueueSettings#diskQuotaBytes} or more, an
 * append first runs retention itself and then, if still over, waits until retention frees space: the queue pushes
 * back on its producers (the CDC) and never drops a record. {@link #isBlockedOnQuota} reports the condition.
 *
 * <p><b>Time</b> comes from the injected {@link Clock}, used for retention by age only (record timestamps are the
 * producers').
 *
 * <p><b>Thread-safety:</b> thread-safe. Topic creation is serialized; appends, fetches and commits run concurrently.
 */
public final class QueueStore implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueStore.class);
    private static final String GROUPS_DIR = "__consumer_groups";
    /** Prefix a deleted partition directory is renamed to before its files go; its topic is gone from then on. */
    private static final String DELETED_PREFIX = "__deleted-";
    private static final Pattern PARTITION_DIR = Pattern.compile("(.+)-(\\d+)");

    private final QueueSettings settings;
    private final Clock clock;
    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final ConsumerGroups groups;
    private final ReentrantLock topicLock = new ReentrantLock();
    private final ReentrantLock retentionLock = new ReentrantLock();
    private final ReentrantLock quotaLock = new ReentrantLock();
    private final Condition spaceFreed = quotaLock.newCondition();
    private final AtomicInteger appendsBlockedOnQuota = new AtomicInteger();
    private final ScheduledExecutorService maintenance;

    private QueueStore(QueueSettings settings, Clock clock, ConsumerGroups groups) {
        this.settings = settings;
        this.clock = clock;
        this.groups = groups;
        this.maintenance = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "shardwire-queue-maintenance");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens every topic under the data directory (creating the directory if needed), recovering each partition, and
     * starts the background work.
     *
     * @param settings the settings
     * @param clock    the time source for retention
     * @return the store
     * @throws IOException if the directory cannot be read, a topic misses a partition directory, or a partition
     *     cannot be recovered
     */
    public static QueueStore open(QueueSettings settings, Clock clock) throws IOException {
        Path dataDir = settings.dataDir();
        Files.createDirectories(dataDir);
        removeDeletedPartitions(dataDir);
        QueueStore store = new QueueStore(settings, clock, ConsumerGroups.open(dataDir.resolve(GROUPS_DIR)));
        try {
            for (Map.Entry<String, Integer> topic : findTopics(dataDir).entrySet()) {
                store.topics.put(topic.getKey(),
                        Topic.open(dataDir, topic.getKey(), topic.getValue(), settings.logConfig()));
            }
        } catch (IOException | RuntimeException e) {
            try {
                store.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
        store.startMaintenance();
        return store;
    }

    /** Removes what a deletion that was interrupted left, renamed out of the topics' way. */
    private static void removeDeletedPartitions(Path dataDir) throws IOException {
        try (Stream<Path> entries = Files.list(dataDir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (entry.getFileName().toString().startsWith(DELETED_PREFIX)) {
                    deleteRecursively(entry);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Finds the topics by their partition directories, checking that each has partitions 0 to n - 1. */
    private static Map<String, Integer> findTopics(Path dataDir) throws IOException {
        Map<String, List<Integer>> found = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dataDir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Matcher matcher = PARTITION_DIR.matcher(entry.getFileName().toString());
                if (Files.isDirectory(entry) && matcher.matches() && !matcher.group(1).startsWith("__")) {
                    found.computeIfAbsent(matcher.group(1), name -> new ArrayList<>())
                            .add(Integer.parseInt(matcher.group(2)));
                }
            }
        }
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> topic : found.entrySet()) {
            List<Integer> partitions = topic.getValue();
            partitions.sort(null);
            for (int p = 0; p < partitions.size(); p++) {
                if (partitions.get(p) != p) {
                    throw new IOException("topic " + topic.getKey() + " in " + dataDir + " has partition directories "
                            + partitions + " but not " + topic.getKey() + "-" + p + "; restore that directory, or"
                            + " move all of the topic's directories away to drop the topic");
                }
            }
            topics.put(topic.getKey(), partitions.size());
        }
        return topics;
    }

    private void startMaintenance() {
        if (settings.fsync() == FsyncPolicy.INTERVAL) {
            maintenance.scheduleWithFixedDelay(this::flushAll, settings.fsyncIntervalMs(), settings.fsyncIntervalMs(),
                    TimeUnit.MILLISECONDS);
        }
        if (settings.retentionCheckIntervalMs() > 0) {
            maintenance.scheduleWithFixedDelay(this::backgroundRetention, settings.retentionCheckIntervalMs(),
                    settings.retentionCheckIntervalMs(), TimeUnit.MILLISECONDS);
        }
    }

    private void flushAll() {
        for (Topic topic : topics.values()) {
            for (PartitionLog log : topic.partitions()) {
                try {
                    log.flush();
                } catch (IOException | RuntimeException e) {
                    LOG.error("Background flush of {} failed", log, e);
                }
            }
        }
    }

    private void backgroundRetention() {
        try {
            enforceRetention();
        } catch (IOException | RuntimeException e) {
            LOG.error("Background retention failed; it runs again in {} ms", settings.retentionCheckIntervalMs(), e);
        }
    }

    /**
     * Creates a topic, or returns it if it exists with the same partition count.
     *
     * @param name       the topic name (see {@link TopicPartition#checkTopicName})
     * @param partitions the partition count, &gt; 0
     * @return the topic
     * @throws IOException              if a partition directory cannot be created
     * @throws IllegalArgumentException if the topic exists with another partition count
     */
    public Topic createTopic(String name, int partitions) throws IOException {
        topicLock.lock();
        try {
            Topic existing = topics.get(name);
            if (existing != null) {
                if (existing.partitionCount() != partitions) {
                    throw new IllegalArgumentException("topic " + name + " already exists with "
                            + existing.partitionCount() + " partitions, not " + partitions
                            + "; the partition count of a topic cannot change");
                }
                return existing;
            }
            Topic topic = Topic.open(settings.dataDir(), name, partitions, settings.logConfig());
            topics.put(name, topic);
            LOG.info("Created {}", topic);
            return topic;
        } finally {
            topicLock.unlock();
        }
    }

    /**
     * Deletes a topic and its records, if it exists. Crash-safe: each partition directory is first renamed out of the
     * topics' way (atomically), highest partition first, so that an interrupted deletion leaves either the topic's
     * partitions 0 to k - 1 or nothing; what was renamed is removed here or at the next {@link #open}. Consumer group
     * offsets of the topic are left as they are. The caller makes sure that nobody appends to or reads the topic
     * meanwhile.
     *
     * @param name the topic name
     * @return whether the topic existed
     * @throws IOException if a partition cannot be closed, renamed or removed
     */
    public boolean deleteTopic(String name) throws IOException {
        topicLock.lock();
        retentionLock.lock();
        try {
            Topic topic = topics.remove(name);
            if (topic == null) {
                return false;
            }
            topic.close();
            List<PartitionLog> partitions = topic.partitions();
            List<Path> renamed = new ArrayList<>();
            for (int p = partitions.size() - 1; p >= 0; p--) {
                Path dir = partitions.get(p).dir();
                Path deleted = dir.resolveSibling(DELETED_PREFIX + dir.getFileName() + "-" + System.nanoTime());
                Files.move(dir, deleted, StandardCopyOption.ATOMIC_MOVE);
                renamed.add(deleted);
            }
            DurableFiles.syncDirectory(settings.dataDir());
            for (Path dir : renamed) {
                deleteRecursively(dir);
            }
            LOG.info("Deleted {}", topic);
            return true;
        } finally {
            retentionLock.unlock();
            topicLock.unlock();
        }
    }

    /**
     * @param name a topic name
     * @return the topic, if it exists
     */
    public Optional<Topic> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    /** @return every topic, by name */
    public List<Topic> topics() {
        return topics.values().stream().sorted(Comparator.comparing(Topic::name)).toList();
    }

    /**
     * Appends a batch to a partition, waiting for as long as it takes if the disk quota is reached.
     *
     * @param topic     the topic
     * @param partition the partition
     * @param batch     the batch
     * @return the offsets it got, or that it was a duplicate
     * @throws IOException          if the partition cannot be written
     * @throws InterruptedException if interrupted while waiting for quota
     */
    public AppendResult append(String topic, int partition, RecordBatch batch)
            throws IOException, InterruptedException {
        awaitQuota(Long.MAX_VALUE);
        return partitionLog(topic, partition).append(batch);
    }

    /**
     * Appends a batch to a partition, waiting at most {@code quotaTimeout} if the disk quota is reached.
     *
     * @param topic        the topic
     * @param partition    the partition
     * @param batch        the batch
     * @param quotaTimeout how long to wait for retention to free space
     * @return the offsets it got, or that it was a duplicate
     * @throws TimeoutException     if the quota was still reached after the timeout; nothing was appended
     * @throws IOException          if the partition cannot be written
     * @throws InterruptedException if interrupted while waiting for quota
     */
    public AppendResult append(String topic, int partition, RecordBatch batch, Duration quotaTimeout)
            throws IOException, InterruptedException, TimeoutException {
        if (!awaitQuota(quotaTimeout.toNanos())) {
            throw new TimeoutException("disk quota of " + settings.diskQuotaBytes() + " bytes is reached (" + usedBytes()
                    + " bytes used) and retention freed nothing within " + quotaTimeout.toMillis() + " ms; raise"
                    + " diskQuotaBytes, lower retentionHours or retentionBytes, or delete topics");
        }
        return partitionLog(topic, partition).append(batch);
    }

    /**
     * Appends a batch to the partition of its records' key ({@link Topic#partitionFor}), waiting as long as it takes
     * if the disk quota is reached.
     *
     * @param topic the topic
     * @param batch the batch; all its records must have keys that map to the same partition
     * @return the offsets it got, or that it was a duplicate
     * @throws IOException          if the partition cannot be written
     * @throws InterruptedException if interrupted while waiting for quota
     */
    public AppendResult append(String topic, RecordBatch batch) throws IOException, InterruptedException {
        Topic target = requireTopic(topic);
        List<Record> records = batch.records();
        int partition = target.partitionFor(records.get(0).key());
        for (int i = 1; i < records.size(); i++) {
            int other = target.partitionFor(records.get(i).key());
            if (other != partition) {
                throw new IllegalArgumentException("records 0 and " + i + " of the batch have keys in partitions "
                        + partition + " and " + other + " of topic " + topic + "; split the batch by"
                        + " Topic.partitionFor(key)");
            }
        }
        return append(topic, partition, batch);
    }

    /** Waits while the quota is reached; returns false if it still is after the timeout. */
    private boolean awaitQuota(long timeoutNanos) throws IOException, InterruptedException {
        long quota = settings.diskQuotaBytes();
        if (quota < 0 || usedBytes() < quota) {
            return true;
        }
        enforceRetention();
        appendsBlockedOnQuota.incrementAndGet();
        quotaLock.lockInterruptibly();
        try {
            long nanos = timeoutNanos;
            // Checked under the lock that retention signals under, so a freeing cannot slip between check and wait.
            while (usedBytes() >= quota) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = spaceFreed.awaitNanos(nanos);
            }
            return true;
        } finally {
            quotaLock.unlock();
            appendsBlockedOnQuota.decrementAndGet();
        }
    }

    /**
     * Long-polls a partition for records (see {@link PartitionLog#fetch}).
     *
     * @param topic      the topic
     * @param partition  the partition
     * @param fromOffset the first offset wanted
     * @param maxRecords the most records to return
     * @param maxBytes   the most record bytes to return (the first record is returned even if larger)
     * @param maxWait    how long to wait for a record
     * @return the records, empty if none arrived within {@code maxWait}
     * @throws OffsetOutOfRangeException if the offset is below the earliest retained or past the log end
     * @throws IOException               if the partition cannot be read
     * @throws InterruptedException      if interrupted while waiting
     */
    public List<LogRecord> fetch(String topic, int partition, long fromOffset, int maxRecords, int maxBytes,
            Duration maxWait) throws IOException, InterruptedException {
        return partitionLog(topic, partition).fetch(fromOffset, maxRecords, maxBytes, maxWait);
    }

    /**
     * @param topic     the topic
     * @param partition the partition
     * @return the earliest retained offset
     */
    public long earliestOffset(String topic, int partition) {
        return partitionLog(topic, partition).logStartOffset();
    }

    /**
     * @param topic     the topic
     * @param partition the partition
     * @return the log end offset: where a consumer starts to see only new records
     */
    public long latestOffset(String topic, int partition) {
        return partitionLog(topic, partition).logEndOffset();
    }

    /**
     * @param topic     the topic
     * @param partition the partition
     * @param timestamp ms since the epoch
     * @return the offset of the first record with a timestamp at or after it, or the log end offset
     * @throws IOException if the partition cannot be read
     */
    public long offsetForTimestamp(String topic, int partition, long timestamp) throws IOException {
        return partitionLog(topic, partition).offsetForTimestamp(timestamp);
    }

    /**
     * @param topic      the topic
     * @param partition  the partition
     * @param producerId a producer
     * @param position   a position of that producer
     * @return the first offset after the producer's last batch at or before that position (see
     *     {@link PartitionLog#offsetAfter})
     * @throws IOException if the partition cannot be read
     */
    public long offsetAfter(String topic, int partition, String producerId, SourcePosition position)
            throws IOException {
        return partitionLog(topic, partition).offsetAfter(producerId, position);
    }

    /**
     * A producer's resume position over every topic: the highest sequence it stored anywhere.
     *
     * @param producerId the producer
     * @return that position, or empty if it never stored a batch
     */
    public Optional<SourcePosition> lastPosition(String producerId) {
        return topics.values().stream()
                .flatMap(topic -> topic.lastPosition(producerId).stream())
                .max(Comparator.naturalOrder());
    }

    /**
     * Commits a group's next offset for a partition.
     *
     * @param group     the group
     * @param topic     the topic
     * @param partition the partition
     * @param offset    the next offset the group will consume, from 0 to the log end offset
     * @throws IOException if the commit cannot be written
     */
    public void commit(String group, String topic, int partition, long offset) throws IOException {
        long end = partitionLog(topic, partition).logEndOffset();
        if (offset < 0 || offset > end) {
            throw new IllegalArgumentException("offset: " + offset + " (expected: 0 to the log end offset " + end
                    + " of " + topic + "-" + partition + ")");
        }
        groups.commit(group, new TopicPartition(topic, partition), offset);
    }

    /**
     * @param group     the group
     * @param topic     the topic
     * @param partition the partition
     * @return the group's committed offset, if it committed one
     */
    public OptionalLong committed(String group, String topic, int partition) {
        return groups.committed(group, new TopicPartition(topic, partition));
    }

    /**
     * A group's lag per partition of a topic: log end offset minus committed offset, where a partition the group
     * never committed counts from the earliest retained offset.
     *
     * @param group the group
     * @param topic the topic
     * @return partition number to lag in records
     */
    public Map<Integer, Long> lag(String group, String topic) {
        Topic target = requireTopic(topic);
        Map<Integer, Long> lag = new TreeMap<>();
        for (PartitionLog log : target.partitions()) {
            long committed = groups.committed(group, log.partition()).orElse(log.logStartOffset());
            lag.put(log.partition().partition(), Math.max(0, log.logEndOffset() - committed));
        }
        return lag;
    }

    /** @return the consumer groups */
    public ConsumerGroups groups() {
        return groups;
    }

    /**
     * Applies retention to every partition now, and wakes appends waiting for quota if it freed space.
     *
     * @return the bytes deleted
     * @throws IOException if a segment cannot be deleted
     */
    public long enforceRetention() throws IOException {
        RetentionPolicy policy = settings.retentionPolicy();
        long freed = 0;
        retentionLock.lock();
        try {
            long now = clock.millis();
            for (Topic topic : topics.values()) {
                for (PartitionLog log : topic.partitions()) {
                    freed += log.applyRetention(policy, now);
                }
            }
        } finally {
            retentionLock.unlock();
        }
        if (freed > 0) {
            quotaLock.lock();
            try {
                spaceFreed.signalAll();
            } finally {
                quotaLock.unlock();
            }
        }
        return freed;
    }

    /** @return whether an append is waiting for the disk quota, for metrics */
    public boolean isBlockedOnQuota() {
        return appendsBlockedOnQuota.get() > 0;
    }

    /** @return the bytes of every segment log file of every topic, which the disk quota limits */
    public long usedBytes() {
        long used = 0;
        for (Topic topic : topics.values()) {
            used += topic.sizeInBytes();
        }
        return used;
    }

    /** @return the settings the store was opened with */
    public QueueSettings settings() {
        return settings;
    }

    /**
     * Stops the background work and closes every topic, forcing its data to disk.
     *
     * @throws IOException the first failure to close a topic, with the others suppressed
     */
    @Override
    public void close() throws IOException {
        maintenance.shutdownNow();
        try {
            // A flush or retention run in progress finishes before the logs close under it.
            if (!maintenance.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Background queue work did not stop within 30 s; closing the logs anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IOException first = null;
        for (Topic topic : topics.values()) {
            try {
                topic.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private Topic requireTopic(String topic) {
        Topic found = topics.get(topic);
        if (found == null) {
            throw new IllegalArgumentException("topic " + topic + " does not exist (existing: "
                    + new TreeSet<>(topics.keySet()) + "); create it first");
        }
        return found;
    }

    private PartitionLog partitionLog(String topic, int partition) {
        return requireTopic(topic).partition(partition);
    }

    @Override
    public String toString() {
        return "queue store " + settings.dataDir() + " " + topics();
    }
}
