package io.shardwire.mq.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition of a topic: an append-only log of record batches in a directory {@code <topic>-<partition>} of
 * {@link Segment}s, rolled at {@link LogConfig#segmentBytes}.
 *
 * <p><b>Invariants.</b> Offsets start at 0 and increase by one per record, without gaps; a batch is appended whole
 * or not at all. Readers see offsets from {@link #logStartOffset} (the first retained segment's base offset) up to
 * {@link #logEndOffset}; under {@link FsyncPolicy#BATCH} that end only covers forced batches, so a reader never sees
 * a record that a machine crash could take back. A producer's batches are stored in increasing sequence order: a
 * batch whose sequence is not above the producer's last stored one is dropped as a {@link AppendResult.Duplicate}.
 *
 * <p><b>Recovery.</b> {@link #open} scans the active (last) segment, cuts it at the first torn or corrupt batch and
 * rebuilds its indexes; older segments were forced when rolled and are trusted, their index files are only checked
 * for sanity and rebuilt if missing or wrong. Producer positions come from the latest {@code .producers} snapshot
 * plus a scan of the batches after it.
 *
 * <p><b>Thread-safety.</b> Thread-safe. Appends are serialized by a lock; under {@link FsyncPolicy#BATCH} the force
 * happens after that lock is released, and appenders waiting for a force share the next one (group commit). Reads
 * take no lock: they work on a snapshot of the log end offset and segment sizes, with positional reads on a channel
 * of their own, so they never block appends. A write or force that fails leaves the log failed: every later append
 * throws until the log is closed and opened again, which recovers it. Retention runs alongside appends and reads; a
 * read whose segment retention deletes under it gets an {@link OffsetOutOfRangeException}.
 */
public final class PartitionLog implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

    private final TopicPartition partition;
    private final Path dir;
    private final LogConfig config;
    private final Segments segments;
    private final ProducerStates producers;
    private final long recoveredBytes;
    private final LogEndOffset logEnd;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ReentrantLock flushLock = new ReentrantLock();
    private final ReentrantLock retentionLock = new ReentrantLock();
    private final AtomicLong forces = new AtomicLong();
    /** The bytes of all segment log files, kept as a running total so that quota checks do not walk the segments. */
    private final AtomicLong sizeInBytes;
    /** One past the last offset written to the active segment; written under the append lock. */
    private volatile long nextOffset;
    /** One past the last offset known to be forced to disk. */
    private volatile long durableEnd;
    private volatile IOException failure;
    private volatile boolean closed;

    private PartitionLog(TopicPartition partition, Path dir, LogConfig config, Segments segments,
            ProducerStates producers, long recoveredBytes) {
        this.partition = partition;
        this.dir = dir;
        this.config = config;
        this.segments = segments;
        this.producers = producers;
        this.recoveredBytes = recoveredBytes;
        this.nextOffset = segments.active().nextOffset();
        this.durableEnd = nextOffset;
        this.sizeInBytes = new AtomicLong(segments.sizeInBytes());
        this.logEnd = new LogEndOffset(nextOffset);
    }

    /**
     * Opens a partition's log, creating its directory and first segment if needed, and recovers it.
     *
     * @param dataDir   the directory holding every partition's directory
     * @param partition the partition
     * @param config    segment size, index interval, fsync policy
     * @return the log, ready for appends and reads
     * @throws IOException if the directory cannot be read, or an inactive segment is damaged beyond its indexes
     */
    public static PartitionLog open(Path dataDir, TopicPartition partition, LogConfig config) throws IOException {
        Path dir = dataDir.resolve(partition.directoryName());
        Files.createDirectories(dir);
        for (Path leftover : LogFileNames.removeLeftovers(dir)) {
            LOG.info("Removed {}, left by an operation that a crash interrupted", leftover);
        }
        List<Long> baseOffsets = LogFileNames.offsetsOf(dir, LogFileNames.LOG_SUFFIX);
        Segments segments = new Segments();
        try {
            long recovered = 0;
            if (baseOffsets.isEmpty()) {
                segments.add(Segment.create(dir, 0, config.indexIntervalBytes()));
            } else {
                for (int i = 0; i < baseOffsets.size() - 1; i++) {
                    segments.add(Segment.openInactive(dir, baseOffsets.get(i), baseOffsets.get(i + 1),
                            config.indexIntervalBytes()));
                }
                Segment active = Segment.openActive(dir, baseOffsets.getLast(), config.indexIntervalBytes());
                segments.add(active);
                recovered = active.recover();
                if (recovered > 0) {
                    LOG.warn("Recovered partition {}: cut {} bytes of torn or corrupt batches from the end of {}",
                            partition, recovered, active);
                } else {
                    LOG.debug("Recovered partition {}: {} is whole", partition, active);
                }
            }
            ProducerStates producers = loadProducerStates(dir, segments);
            PartitionLog log = new PartitionLog(partition, dir, config, segments, producers, recovered);
            LOG.info("Opened partition {}: offsets {} to {}, {} segments, {} bytes", partition, log.logStartOffset(),
                    log.logEndOffset(), segments.count(), segments.sizeInBytes());
            return log;
        } catch (IOException | RuntimeException e) {
            for (Segment segment : segments.all()) {
                try {
                    segment.close();
                } catch (IOException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            throw e;
        }
    }

    /**
     * Loads the latest readable snapshot at or below the log end and replays the batches after it; with no usable
     * snapshot, replays the whole log.
     */
    private static ProducerStates loadProducerStates(Path dir, Segments segments) throws IOException {
        long logStart = segments.first().baseOffset();
        long logEnd = segments.active().nextOffset();
        Map<String, ProducerEntry> loaded = Map.of();
        long replayFrom = logStart;
        List<Long> snapshots = LogFileNames.offsetsOf(dir, LogFileNames.PRODUCERS_SUFFIX);
        for (Long snapshot : snapshots.reversed()) {
            Path file = LogFileNames.producersFile(dir, snapshot);
            if (snapshot > logEnd) {
                LOG.warn("Ignoring producer snapshot {}: it is past the log end offset {}", file, logEnd);
                continue;
            }
            try {
                loaded = ProducerSnapshot.read(file);
                replayFrom = Math.max(snapshot, logStart);
                break;
            } catch (IOException e) {
                LOG.warn("Ignoring producer snapshot: {}; falling back to an older snapshot or a full scan",
                        e.getMessage());
            }
        }
        ProducerStates states = new ProducerStates(loaded);
        for (Segment segment : segments.all()) {
            if (segment.nextOffset() > replayFrom) {
                segment.scan(replayFrom, logEnd, batch -> {
                    states.update(batch);
                    return true;
                });
            }
        }
        return states;
    }

    /**
     * Appends a batch, unless its producer already stored the same or a later position. Returns once the batch is as
     * durable as the fsync policy promises: under {@link FsyncPolicy#BATCH}, forced to disk.
     *
     * @param batch the batch
     * @return the offsets it was given, or why it was dropped
     * @throws IOException if the log cannot be written or forced (the log is then failed), or failed earlier
     * @throws IllegalStateException if the log is closed
     */
    public AppendResult append(RecordBatch batch) throws IOException {
        AppendResult result;
        long end;
        appendLock.lock();
        try {
            checkUsable();
            Optional<ProducerEntry> duplicateOf = batch.producer().flatMap(producers::duplicateOf);
            if (duplicateOf.isPresent()) {
                result = new AppendResult.Duplicate(batch.producer().orElseThrow().producerId(),
                        duplicateOf.get().position());
            } else {
                long baseOffset = nextOffset;
                StoredBatch stored = StoredBatch.wrap(BatchFormat.encode(batch, baseOffset));
                try {
                    activeSegmentFor(stored).append(stored);
                } catch (IOException e) {
                    throw fail(e);
                }
                producers.update(stored);
                sizeInBytes.addAndGet(stored.sizeInBytes());
                nextOffset = stored.nextOffset();
                result = new AppendResult.Appended(baseOffset, stored.lastOffset());
            }
            end = nextOffset;
        } finally {
            appendLock.unlock();
        }
        if (config.fsync() == FsyncPolicy.BATCH) {
            // A duplicate waits too: the batch it duplicates may still be on its way to the disk.
            makeDurable(end);
        } else {
            logEnd.advanceTo(end);
        }
        return result;
    }

    /** Returns the segment to append a batch to, rolling first if the batch does not fit the active one. */
    private Segment activeSegmentFor(StoredBatch batch) throws IOException {
        Segment active = segments.active();
        boolean full = active.sizeInBytes() > 0
                && (long) active.sizeInBytes() + batch.sizeInBytes() > config.segmentBytes();
        boolean offsetsOverflow = batch.lastOffset() - active.baseOffset() > Integer.MAX_VALUE;
        if (!full && !offsetsOverflow) {
            return active;
        }
        long baseOffset = batch.baseOffset();
        active.onBecomeInactive();
        ProducerSnapshot.write(LogFileNames.producersFile(dir, baseOffset), producers.snapshot());
        Segment next = Segment.create(dir, baseOffset, config.indexIntervalBytes());
        segments.add(next);
        LOG.debug("Rolled partition {}: new segment at offset {} after {}", partition, baseOffset, active);
        return next;
    }

    /**
     * Group commit: forces the active segment unless a force that started after offset {@code end} was written has
     * already covered it. Appenders queue on the flush lock while a force runs; the next one through forces
     * everything written by then, so the ones behind it find their batches durable and return without forcing.
     * Segments before the active one were forced when rolled.
     */
    private void makeDurable(long end) throws IOException {
        if (durableEnd < end) {
            flushLock.lock();
            try {
                if (durableEnd < end) {
                    checkUsable();
                    long target = nextOffset;
                    // Read the active segment after the target: a roll forces the old segment before publishing the
                    // new one, so whichever segment is seen here holds every unforced byte below the target.
                    Segment active = segments.active();
                    try {
                        active.flush();
                    } catch (IOException e) {
                        throw fail(e);
                    }
                    forces.incrementAndGet();
                    durableEnd = target;
                }
            } finally {
                flushLock.unlock();
            }
        }
        logEnd.advanceTo(durableEnd);
    }

    /**
     * Forces everything appended so far to disk. The background flusher of {@link FsyncPolicy#INTERVAL} calls this.
     *
     * @throws IOException if the force fails (the log is then failed)
     */
    public void flush() throws IOException {
        makeDurable(nextOffset);
    }

    /**
     * Reads whole records from an offset. Never blocks appends.
     *
     * @param fromOffset the first offset to read, from {@link #logStartOffset} to {@link #logEndOffset}
     * @param maxRecords the most records to return, &gt; 0
     * @param maxBytes   the most record bytes ({@link BatchFormat#recordSize}) to return, &gt; 0; the first record is
     *                   returned even if it is larger
     * @return the records in offset order, empty if {@code fromOffset} is the log end offset
     * @throws OffsetOutOfRangeException if {@code fromOffset} is outside the log
     * @throws IOException               if the log cannot be read or holds a corrupt batch
     */
    public List<LogRecord> read(long fromOffset, int maxRecords, int maxBytes) throws IOException {
        if (maxRecords <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("maxRecords: " + maxRecords + ", maxBytes: " + maxBytes
                    + " (expected: both > 0)");
        }
        long end = logEnd.get();
        checkRange(fromOffset, end);
        RecordSink sink = new RecordSink(maxRecords, maxBytes);
        try {
            Optional<Segment> segment = segments.floor(fromOffset);
            while (segment.isPresent() && !sink.isFull() && segment.get().baseOffset() < end) {
                segment.get().read(fromOffset, end, sink);
                segment = segments.higher(segment.get().baseOffset());
            }
        } catch (ClosedChannelException e) {
            checkRange(fromOffset, logEnd.get());
            throw e;
        }
        return sink.records();
    }

    /**
     * Long-polls for records: returns as soon as a record at {@code fromOffset} is readable, or empty once
     * {@code maxWait} has passed. Waiting costs no CPU: the thread sleeps until an append wakes it.
     *
     * @param fromOffset the first offset to read
     * @param maxRecords the most records to return
     * @param maxBytes   the most record bytes to return (the first record is returned even if larger)
     * @param maxWait    how long to wait for a record at most
     * @return the records, empty if none arrived in time
     * @throws OffsetOutOfRangeException if {@code fromOffset} is outside the log
     * @throws IOException               if the log cannot be read
     * @throws InterruptedException      if the thread is interrupted while waiting
     */
    public List<LogRecord> fetch(long fromOffset, int maxRecords, int maxBytes, Duration maxWait)
            throws IOException, InterruptedException {
        checkRange(fromOffset, logEnd.get());
        if (!logEnd.awaitBeyond(fromOffset, maxWait)) {
            return List.of();
        }
        return read(fromOffset, maxRecords, maxBytes);
    }

    /**
     * Finds the first record with a timestamp at or after a time.
     *
     * @param timestamp ms since the epoch
     * @return its offset, or the log end offset if there is none
     * @throws IOException if the log cannot be read
     */
    public long offsetForTimestamp(long timestamp) throws IOException {
        long end = logEnd.get();
        for (Segment segment : segments.all()) {
            if (segment.baseOffset() >= end) {
                break;
            }
            OptionalLong found = segment.findOffsetByTimestamp(timestamp, end);
            if (found.isPresent()) {
                return found.getAsLong();
            }
        }
        return end;
    }

    /**
     * Finds where a producer's position lies in the log: the offset right after the producer's last batch whose
     * sequence is at most {@code position}'s. Replaying from there yields everything appended after the producer
     * reached that position, from every producer.
     *
     * @param producerId the producer
     * @param position   a position of that producer
     * @return that offset; the log start offset if the log retains no batch of the producer at or before the
     *     position (retention deleted it, or the producer never reached it)
     * @throws IOException if the log cannot be read
     */
    public long offsetAfter(String producerId, SourcePosition position) throws IOException {
        ProducerPosition.checkProducerId(producerId);
        long start = logStartOffset();
        long end = logEnd.get();
        Optional<ProducerEntry> last = producers.get(producerId);
        if (last.isPresent() && last.get().position().sequence() <= position.sequence()
                && last.get().lastOffset() < end) {
            return Math.max(start, last.get().lastOffset() + 1);
        }
        // Snapshots hold the producer's position at each segment boundary: start from the latest boundary at which
        // the producer had not yet passed the position, then scan forward.
        long scanFrom = start;
        long candidate = start;
        for (Long snapshot : LogFileNames.offsetsOf(dir, LogFileNames.PRODUCERS_SUFFIX).reversed()) {
            if (snapshot < start || snapshot > end) {
                continue;
            }
            Optional<ProducerEntry> entry;
            try {
                entry = Optional.ofNullable(ProducerSnapshot.read(LogFileNames.producersFile(dir, snapshot))
                        .get(producerId));
            } catch (IOException e) {
                LOG.warn("Ignoring producer snapshot while seeking by source position: {}", e.getMessage());
                continue;
            }
            if (entry.isEmpty() || entry.get().position().sequence() <= position.sequence()) {
                scanFrom = snapshot;
                candidate = entry.map(e -> Math.max(start, e.lastOffset() + 1)).orElse(start);
                break;
            }
        }
        long[] found = {candidate};
        for (Segment segment : segments.all()) {
            if (segment.nextOffset() <= scanFrom) {
                continue;
            }
            boolean goOn = segment.scan(scanFrom, end, batch -> {
                Optional<ProducerPosition> producer = batch.producer();
                if (producer.isEmpty() || !producer.get().producerId().equals(producerId)) {
                    return true;
                }
                if (producer.get().position().sequence() > position.sequence()) {
                    return false;
                }
                found[0] = batch.nextOffset();
                return true;
            });
            if (!goOn) {
                break;
            }
        }
        return found[0];
    }

    /**
     * The position to resume a producer from: where its last stored batch left it.
     *
     * @param producerId the producer
     * @return its last stored source position, or empty if it never stored a batch here
     */
    public Optional<SourcePosition> lastPosition(String producerId) {
        return producers.get(producerId).map(ProducerEntry::position);
    }

    /**
     * Deletes the oldest inactive segments that the policy no longer retains, oldest first, stopping at the first
     * one it keeps. The active segment is never deleted.
     *
     * @param policy the retention limits
     * @param nowMs  the current time, ms since the epoch
     * @return the bytes of log deleted
     * @throws IOException if a segment cannot be deleted
     */
    public long applyRetention(RetentionPolicy policy, long nowMs) throws IOException {
        retentionLock.lock();
        try {
            long deleted = 0;
            while (segments.count() > 1) {
                Segment oldest = segments.first();
                boolean expired = policy.maxAgeMs() >= 0 && oldest.maxTimestamp() < nowMs - policy.maxAgeMs();
                boolean oversize = policy.maxBytes() >= 0
                        && sizeInBytes.get() - oldest.sizeInBytes() >= policy.maxBytes();
                if (!expired && !oversize) {
                    break;
                }
                segments.remove(oldest);
                sizeInBytes.addAndGet(-oldest.sizeInBytes());
                oldest.delete();
                Files.deleteIfExists(LogFileNames.producersFile(dir, oldest.baseOffset()));
                deleted += oldest.sizeInBytes();
                LOG.info("Retention deleted {} of partition {} ({}); the earliest offset is now {}", oldest,
                        partition, expired ? "older than " + policy.maxAgeMs() + " ms" : "over "
                                + policy.maxBytes() + " bytes", logStartOffset());
            }
            return deleted;
        } finally {
            retentionLock.unlock();
        }
    }

    /** @return the partition */
    public TopicPartition partition() {
        return partition;
    }

    /** @return the partition's directory */
    public Path dir() {
        return dir;
    }

    /** @return the earliest offset retained */
    public long logStartOffset() {
        return segments.first().baseOffset();
    }

    /** @return the offset after the last record readers can see; the next record appended gets at least this */
    public long logEndOffset() {
        return logEnd.get();
    }

    /** @return the bytes of all segment log files */
    public long sizeInBytes() {
        return sizeInBytes.get();
    }

    /** @return the number of segments */
    public int segmentCount() {
        return segments.count();
    }

    /** @return the base offsets of the segments, ascending */
    public List<Long> segmentBaseOffsets() {
        List<Long> baseOffsets = new ArrayList<>();
        for (Segment segment : segments.all()) {
            baseOffsets.add(segment.baseOffset());
        }
        return baseOffsets;
    }

    /** @return the bytes that recovery cut from the active segment when this log was opened */
    public long recoveredBytes() {
        return recoveredBytes;
    }

    /** @return how many times the log has been forced to disk since it was opened, for metrics */
    public long forceCount() {
        return forces.get();
    }

    /**
     * Forces the log to disk and closes its files. Appends after this throw {@link IllegalStateException}.
     *
     * @throws IOException if the force or a close fails
     */
    @Override
    public void close() throws IOException {
        appendLock.lock();
        flushLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            IOException first = null;
            if (failure == null) {
                try {
                    segments.active().flush();
                } catch (IOException e) {
                    first = e;
                }
            }
            for (Segment segment : segments.all()) {
                try {
                    segment.close();
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
        } finally {
            flushLock.unlock();
            appendLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "partition " + partition + " (offsets " + logStartOffset() + " to " + logEndOffset() + ")";
    }

    private void checkRange(long offset, long end) {
        long start = logStartOffset();
        if (offset < start || offset > end) {
            throw new OffsetOutOfRangeException(partition, offset, start, end);
        }
    }

    private void checkUsable() throws IOException {
        if (closed) {
            throw new IllegalStateException("partition log " + partition + " is closed");
        }
        IOException failed = failure;
        if (failed != null) {
            throw new IOException("partition log " + partition + " failed earlier (" + failed.getMessage()
                    + "); close it and open it again, which recovers it", failed);
        }
    }

    private IOException fail(IOException e) {
        if (failure == null) {
            failure = e;
            LOG.error("Partition log {} failed; appends are refused until it is reopened", partition, e);
        }
        return new IOException("appending to partition " + partition + " in " + dir + " failed: " + e.getMessage(),
                e);
    }
}
