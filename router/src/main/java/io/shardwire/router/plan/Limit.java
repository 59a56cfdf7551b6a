package io.shardwire.router.plan;

import java.util.List;

/**
 * LIMIT after the merge: skips {@code offset} rows, then returns at most {@code count}. Always the
 * outermost row operator (only the projection is above it).
 *
 * @param offset rows to skip
 * @param count  rows to return
 * @param input  the operator below
 */
public record Limit(long offset, long count, PlanNode input) implements PlanNode {

    @Override
    public PlanDescription describe() {
        return new PlanDescription("Limit", "", List.of("offset: " + offset, "count: " + count), List.of(input.describe()));
    }
}
