package io.shardwire.router.plan;

/**
 * Caps on what a memory merge (GROUP BY not matching the ORDER BY, DISTINCT) may hold, so that a
 * large result fails with a clear error instead of exhausting the heap.
 *
 * @param maxRows  rows (groups) held at once
 * @param maxBytes bytes of values held at once
 */
public record MergeLimits(long maxRows, long maxBytes) {

    /** 100,000 rows and 64 MiB. */
    public static final MergeLimits DEFAULT = new MergeLimits(100_000, 64L << 20);

    public MergeLimits {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows: " + maxRows + " (expected: >= 1)");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 1)");
        }
    }
}
