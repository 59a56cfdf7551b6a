package io.shardwire.router.plan;

import java.util.List;

/**
 * Drops rows whose visible columns equal an earlier row's, keeping the input order; remembers
 * the rows seen in memory, up to the configured caps (over a merge sorted first by exactly the visible
 * columns, the merge holds only the last row passed).
 *
 * @param derivedColumns how many trailing columns are derived and not compared
 * @param limits         the memory caps
 * @param input          the operator below
 */
public record Distinct(int derivedColumns, MergeLimits limits, PlanNode input) implements PlanNode {

    @Override
    public PlanDescription describe() {
        return new PlanDescription("Distinct", "Memory", List.of("max rows: " + limits.maxRows()), List.of(input.describe()));
    }
}
