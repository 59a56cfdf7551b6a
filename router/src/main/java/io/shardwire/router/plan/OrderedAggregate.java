package io.shardwire.router.plan;

import io.shardwire.router.rewrite.ColumnRef;
import io.shardwire.router.rewrite.MergeSpec.AggregateSpec;
import io.shardwire.router.rewrite.MergeSpec.ComputedColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Groups adjacent rows with equal group keys, its input being sorted by them; with no group keys,
 * all rows form one group and one row comes out even when there are none (COUNT 0, others NULL).
 *
 * @param groupBy        the group keys
 * @param aggregates     the aggregates recomputed per group
 * @param computed       the expressions over aggregates recomputed per group after them
 * @param derivedColumns how many trailing node columns are derived
 * @param input          a merge sort, or the route when there are no group keys
 */
public record OrderedAggregate(List<ColumnRef> groupBy, List<AggregateSpec> aggregates, List<ComputedColumn> computed,
                               int derivedColumns, PlanNode input)
        implements PlanNode {

    public OrderedAggregate {
        groupBy = List.copyOf(groupBy);
        aggregates = List.copyOf(aggregates);
        computed = List.copyOf(computed);
    }

    @Override
    public PlanDescription describe() {
        return new PlanDescription("Aggregate", "Ordered", details(groupBy, aggregates, computed), List.of(input.describe()));
    }

    /** The group keys (if any) and aggregates, as descriptions show them. */
    static List<String> details(List<ColumnRef> groupBy, List<AggregateSpec> aggregates, List<ComputedColumn> computed) {
        List<String> details = new ArrayList<>();
        if (!groupBy.isEmpty()) {
            details.add("group by: " + groupBy.stream().map(PlanNode::label).collect(Collectors.joining(", ")));
        }
        if (!aggregates.isEmpty()) {
            details.add("aggregates: " + describe(aggregates));
        }
        if (!computed.isEmpty()) {
            details.add("computed: " + computed.stream()
                    .map(c -> c.expression().expression() + " -> " + PlanNode.label(c.column()))
                    .collect(Collectors.joining(", ")));
        }
        return details;
    }

    private static String describe(List<AggregateSpec> aggregates) {
        return aggregates.stream()
                .map(a -> a.function().name().toLowerCase(Locale.ROOT) + "(" + a.inputs().stream()
                        .map(PlanNode::label).collect(Collectors.joining(", ")) + ") -> " + PlanNode.label(a.column()))
                .collect(Collectors.joining(", "));
    }
}
