package io.shardwire.cdc;

import java.util.Optional;

/**
 * A snapshot of one group's capture, for health checks and the admin view.
 *
 * @param group          the shard group
 * @param state          where the capture is
 * @param failure        why it failed, when {@link CaptureState#FAILED}
 * @param lastSequence   the sequence of the last batch the group's producer stored in the queue, -1 if none yet
 * @param eventsAppended the change events this capture appended since it started
 */
public record CaptureHealth(String group, CaptureState state, Optional<String> failure, long lastSequence,
                            long eventsAppended) {
}
