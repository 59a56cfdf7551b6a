package io.shardwire.cdc;

import java.util.Optional;

/**
 * How far one group's capture has got, for the admin view and the metrics.
 *
 * @param group           the shard group
 * @param eventsCaptured  change events appended to the queue since the capture started
 * @param lastPosition    the binlog position of the last event appended: its GTID, or {@code file:position} for a
 *                        snapshot row; empty before the first
 * @param lastSourceTsMs  when the last appended event was committed on the primary (second precision), ms since
 *                        the epoch; -1 before the first
 * @param lastCaptureTsMs when the capture processed that event, ms since the epoch; -1 before the first
 */
public record CaptureProgress(String group, long eventsCaptured, Optional<String> lastPosition, long lastSourceTsMs,
                              long lastCaptureTsMs) {

    /**
     * How late the last event reached the queue: capture time minus commit time, never negative; -1 before the
     * first event. It is not the age of the last event, so an idle primary does not look like a lagging capture.
     */
    public long lagMs() {
        return lastSourceTsMs < 0 ? -1 : Math.max(0, lastCaptureTsMs - lastSourceTsMs);
    }
}
