package io.shardwire.mq.log;

import java.util.Collection;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The segments of a partition log, keyed by base offset. The last one is the active segment, the only one appended
 * to. Thread-safe: a concurrent skip-list map, so lookups never block while segments are added or removed.
 */
final class Segments {

    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();

    void add(Segment segment) {
        segments.put(segment.baseOffset(), segment);
    }

    void remove(Segment segment) {
        segments.remove(segment.baseOffset(), segment);
    }

    /**
     * @param offset an offset
     * @return the segment that holds it or, past the end, the active segment; empty if it is below the first segment
     */
    Optional<Segment> floor(long offset) {
        return Optional.ofNullable(segments.floorEntry(offset)).map(Map.Entry::getValue);
    }

    /**
     * @param baseOffset a segment's base offset
     * @return the segment after it, if any
     */
    Optional<Segment> higher(long baseOffset) {
        return Optional.ofNullable(segments.higherEntry(baseOffset)).map(Map.Entry::getValue);
    }

    /** @return the first (oldest) segment */
    Segment first() {
        Map.Entry<Long, Segment> first = segments.firstEntry();
        if (first == null) {
            throw new NoSuchElementException("the log has no segments");
        }
        return first.getValue();
    }

    /** @return the last segment, the one appended to */
    Segment active() {
        Map.Entry<Long, Segment> last = segments.lastEntry();
        if (last == null) {
            throw new NoSuchElementException("the log has no segments");
        }
        return last.getValue();
    }

    /** @return the segments in offset order, a weakly consistent view */
    Collection<Segment> all() {
        return segments.values();
    }

    int count() {
        return segments.size();
    }

    long sizeInBytes() {
        long size = 0;
        for (Segment segment : segments.values()) {
            size += segment.sizeInBytes();
        }
        return size;
    }
}
