package io.shardwire.proxy.admin;

import java.util.HashMap;
import java.util.Map;

/**
 * Events per second of each group's capture, between two readings of its event count taken at least a second
 * apart: the first reading of a group shows no rate, and a reading sooner than a second after the last one shows
 * the previous rate. Thread-safe.
 */
final class CaptureRates {

    private static final long MIN_WINDOW_NANOS = 1_000_000_000L;

    private record Reading(long events, long nanos, double perSecond) {
    }

    private final Map<String, Reading> last = new HashMap<>();

    /** The group's rate as of this reading, or -1 while unknown. */
    synchronized double perSecond(String group, long events, long nowNanos) {
        Reading previous = last.get(group);
        if (previous == null) {
            last.put(group, new Reading(events, nowNanos, -1));
            return -1;
        }
        long window = nowNanos - previous.nanos();
        if (window < MIN_WINDOW_NANOS) {
            return previous.perSecond();
        }
        // A restarted capture counts from 0 again: no rate for that window rather than a negative one.
        double rate = events < previous.events() ? -1 : (events - previous.events()) * 1e9 / window;
        last.put(group, new Reading(events, nowNanos, rate));
        return rate;
    }
}
