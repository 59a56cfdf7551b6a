package io.shardwire.mq.log;

/**
 * Which old segments of a partition may be deleted. Only whole, inactive segments are ever deleted, oldest first.
 *
 * @param maxAgeMs a segment whose largest record timestamp is older than this many milliseconds is deleted;
 *                 -1 keeps segments forever
 * @param maxBytes while deleting the oldest segment would still leave the partition at least this large, it is
 *                 deleted; -1 means no limit
 */
public record RetentionPolicy(long maxAgeMs, long maxBytes) {

    /** Checks the limits. */
    public RetentionPolicy {
        if (maxAgeMs < -1) {
            throw new IllegalArgumentException("maxAgeMs: " + maxAgeMs + " (expected: -1 for no limit, or >= 0)");
        }
        if (maxBytes < -1) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: -1 for no limit, or >= 0)");
        }
    }
}
