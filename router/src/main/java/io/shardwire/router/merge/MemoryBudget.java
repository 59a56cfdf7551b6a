package io.shardwire.router.merge;

import io.shardwire.router.plan.MergeLimits;

/**
 * Counts what a memory merge holds and fails, with a {@link MergeException} naming the limit,
 * as soon as it would hold more rows or bytes than its {@link MergeLimits} allow.
 */
final class MemoryBudget {

    private final MergeLimits limits;
    private final String what;
    private long rows;
    private long bytes;

    /** @param what the operator, for the message: "GROUP BY", "DISTINCT" */
    MemoryBudget(MergeLimits limits, String what) {
        this.limits = limits;
        this.what = what;
    }

    /** Accounts for one more held row (or value) of the given values. */
    void hold(byte[]... values) {
        rows++;
        for (byte[] v : values) {
            // A reference per value, plus its bytes.
            bytes += 16 + (v == null ? 0 : v.length);
        }
        if (rows > limits.maxRows()) {
            throw new MergeException("the in-memory merge of " + what + " needs more than " + limits.maxRows()
                    + " rows (expected: <= maxMemoryMergeRows); narrow the query or raise the limit");
        }
        if (bytes > limits.maxBytes()) {
            throw new MergeException("the in-memory merge of " + what + " needs more than " + limits.maxBytes()
                    + " bytes (expected: <= maxMemoryMergeBytes); narrow the query or raise the limit");
        }
    }
}
