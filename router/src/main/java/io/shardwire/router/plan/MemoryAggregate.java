package io.shardwire.router.plan;

import io.shardwire.router.rewrite.ColumnRef;
import io.shardwire.router.rewrite.MergeSpec.AggregateSpec;
import io.shardwire.router.rewrite.MergeSpec.ComputedColumn;
import io.shardwire.router.rewrite.MergeSpec.SortKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups rows in memory, for input not sorted by the group keys, then sorts the groups by the
 * query's ORDER BY. Refuses to hold more than the configured number of groups or bytes.
 *
 * @param groupBy        the group keys
 * @param aggregates     the aggregates recomputed per group
 * @param computed       the expressions over aggregates recomputed per group after them
 * @param orderBy        the order of the groups it returns
 * @param derivedColumns how many trailing node columns are derived
 * @param limits         the memory caps
 * @param input          the route
 */
public record MemoryAggregate(List<ColumnRef> groupBy, List<AggregateSpec> aggregates, List<ComputedColumn> computed,
                              List<SortKey> orderBy,
                              int derivedColumns, MergeLimits limits, NodeRoute input) implements PlanNode {

    public MemoryAggregate {
        groupBy = List.copyOf(groupBy);
        aggregates = List.copyOf(aggregates);
        computed = List.copyOf(computed);
        orderBy = List.copyOf(orderBy);
    }

    @Override
    public PlanDescription describe() {
        List<String> details = new ArrayList<>(OrderedAggregate.details(groupBy, aggregates, computed));
        if (!orderBy.isEmpty()) {
            details.add("order by: " + PlanNode.labels(orderBy));
        }
        details.add("max rows: " + limits.maxRows());
        return new PlanDescription("Aggregate", "Memory", details, List.of(input.describe()));
    }
}
