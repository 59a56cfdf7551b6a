package io.shardwire.router.merge;

import io.shardwire.router.plan.Distinct;
import io.shardwire.router.plan.ExecutionPlan;
import io.shardwire.router.plan.HavingFilter;
import io.shardwire.router.plan.Limit;
import io.shardwire.router.plan.LocalAnswer;
import io.shardwire.router.plan.MemoryAggregate;
import io.shardwire.router.plan.MergeSort;
import io.shardwire.router.plan.NodeRoute;
import io.shardwire.router.plan.OrderedAggregate;
import io.shardwire.router.plan.PlanNode;
import io.shardwire.router.plan.Projection;
import io.shardwire.router.rewrite.ColumnRef;
import io.shardwire.router.rewrite.MergeSpec.SortKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the merged-result chain for an execution from its plan, one cursor per operator,
 * bottom up. The plan's {@code MergePlanBuilder} has already chosen the operators (the decision
 * table: pass-through for one node, ordered or memory aggregation, merge sort, having, distinct,
 * limit outermost, projection); this class only wires them to the nodes' cursors.
 *
 * <p>Usage by the proxy: run {@link ExecutionPlan#statements()}, wrap each node's text result
 * set in a {@link RowCursor} (same order as the statements), take the column definitions from
 * the first node, call {@link #merge}, and send {@link MergedResult#columns()} and its rows.
 */
public final class ResultMerger {

    private ResultMerger() {
    }

    /**
     * The merged rows of a QUERY execution.
     *
     * @param plan    the execution
     * @param columns the column definitions the nodes sent (all nodes send the same)
     * @param inputs  one cursor per statement of the plan, in the plan's order
     * @throws IllegalArgumentException if the plan is not a query or the inputs do not match its statements
     */
    public static MergedResult merge(ExecutionPlan plan, List<ResultColumn> columns, List<RowCursor> inputs) {
        if (plan.kind() != ExecutionPlan.Kind.QUERY && plan.kind() != ExecutionPlan.Kind.PASS_THROUGH) {
            throw new IllegalArgumentException("plan kind: " + plan.kind() + " (expected: QUERY or PASS_THROUGH)");
        }
        if (inputs.size() != plan.statements().size()) {
            throw new IllegalArgumentException("inputs: " + inputs.size() + " (expected: " + plan.statements().size() + ")");
        }
        return build(plan.root(), List.copyOf(columns), inputs);
    }

    private static MergedResult build(PlanNode node, List<ResultColumn> columns, List<RowCursor> inputs) {
        return switch (node) {
            case NodeRoute route -> new IteratorStreamMergedResult(columns, inputs);
            case MergeSort sort -> new OrderByStreamMergedResult(columns, inputs, keys(sort.keys(), columns, sort.derivedColumns()));
            case OrderedAggregate aggregate -> new GroupByStreamMergedResult(build(aggregate.input(), columns, inputs),
                    groupKeys(aggregate.groupBy(), columns, aggregate.derivedColumns()),
                    new GroupAggregates(aggregate.aggregates(), aggregate.computed(), columns, aggregate.derivedColumns(), null));
            case MemoryAggregate aggregate -> {
                MemoryBudget budget = new MemoryBudget(aggregate.limits(), "GROUP BY");
                yield new GroupByMemoryMergedResult(build(aggregate.input(), columns, inputs),
                        groupKeys(aggregate.groupBy(), columns, aggregate.derivedColumns()),
                        keys(aggregate.orderBy(), columns, aggregate.derivedColumns()),
                        new GroupAggregates(aggregate.aggregates(), aggregate.computed(), columns, aggregate.derivedColumns(), budget),
                        budget);
            }
            case HavingFilter having -> new HavingFilterMergedResult(build(having.input(), columns, inputs),
                    new RowExpressionEvaluator(having.having().condition(), columns, having.derivedColumns(), having.parameters()));
            case Distinct distinct -> {
                int visible = columns.size() - distinct.derivedColumns();
                List<Rows.Key> visibleKeys = new ArrayList<>();
                for (int i = 0; i < visible; i++) {
                    visibleKeys.add(Rows.Key.of(i, false, columns));
                }
                MergedResult input = build(distinct.input(), columns, inputs);
                yield sortedByVisible(distinct.input(), columns, visible)
                        ? new DistinctSortedMergedResult(input, visibleKeys, visible)
                        : new DistinctMemoryMergedResult(input, visibleKeys, visible, new MemoryBudget(distinct.limits(), "DISTINCT"));
            }
            case Limit limit -> new LimitDecoratorMergedResult(build(limit.input(), columns, inputs), limit.offset(), limit.count());
            case Projection projection -> new ProjectionDecoratorMergedResult(build(projection.input(), columns, inputs),
                    projection.derivedColumns());
            case LocalAnswer local -> throw new IllegalArgumentException("a local answer has no node results to merge");
        };
    }

    /**
     * Whether {@code node} is a merge sorted first by exactly the {@code visible} leading columns (in any order and
     * direction), so that rows equal on all of them come together.
     */
    private static boolean sortedByVisible(PlanNode node, List<ResultColumn> columns, int visible) {
        if (!(node instanceof MergeSort sort) || sort.keys().size() < visible) {
            return false;
        }
        Set<Integer> leading = new HashSet<>();
        for (SortKey key : sort.keys().subList(0, visible)) {
            leading.add(key.column().resolve(columns.size(), sort.derivedColumns()));
        }
        return leading.size() == visible && leading.stream().allMatch(column -> column < visible);
    }

    private static List<Rows.Key> keys(List<SortKey> keys, List<ResultColumn> columns, int derived) {
        return keys.stream().map(k -> Rows.Key.of(k.column().resolve(columns.size(), derived), k.descending(), columns)).toList();
    }

    private static List<Rows.Key> groupKeys(List<ColumnRef> keys, List<ResultColumn> columns, int derived) {
        return keys.stream().map(k -> Rows.Key.of(k.resolve(columns.size(), derived), false, columns)).toList();
    }
}
