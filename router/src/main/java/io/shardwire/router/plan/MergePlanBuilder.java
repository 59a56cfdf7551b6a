package io.shardwire.router.plan;

import io.shardwire.router.rewrite.MergeSpec;
import io.shardwire.router.rewrite.MergeSpec.LimitSpec;
import io.shardwire.router.route.StatementRefusedException;
import java.util.ArrayList;
import java.util.List;

/**
 * The decision table that puts merge operators above a route, as ShardingSphere's
 * {@code ShardingDQLResultMerger} does but before execution:
 * <table>
 *   <caption>Operators by query shape</caption>
 *   <tr><th>shape</th><th>operators, bottom up</th></tr>
 *   <tr><td>one data node</td><td>none: the node's result passes through</td></tr>
 *   <tr><td>GROUP BY / aggregates, nodes sorted by the group keys</td><td>MergeSort, Aggregate/Ordered</td></tr>
 *   <tr><td>GROUP BY / aggregates otherwise</td><td>Aggregate/Memory (sorts its groups by the ORDER BY)</td></tr>
 *   <tr><td>ORDER BY without grouping</td><td>MergeSort</td></tr>
 *   <tr><td>HAVING</td><td>+ Filter/Having after the grouping</td></tr>
 *   <tr><td>DISTINCT</td><td>+ Distinct/Memory after that</td></tr>
 *   <tr><td>LIMIT</td><td>+ Limit, the outermost row operator</td></tr>
 *   <tr><td>derived columns</td><td>+ Projection dropping them</td></tr>
 * </table>
 */
final class MergePlanBuilder {

    private MergePlanBuilder() {
    }

    static PlanNode build(MergeSpec spec, NodeRoute route, List<?> parameters, MergeLimits limits)
            throws StatementRefusedException {
        if (route.statements().size() == 1) {
            return route;
        }
        int derived = spec.derivedColumns();
        PlanNode node;
        if (spec.aggregated()) {
            if (spec.streamGroups()) {
                PlanNode input = spec.nodeOrderBy().isEmpty() ? route : new MergeSort(spec.nodeOrderBy(), derived, route);
                node = new OrderedAggregate(spec.groupBy(), spec.aggregates(), spec.computed(), derived, input);
            } else {
                node = new MemoryAggregate(spec.groupBy(), spec.aggregates(), spec.computed(), spec.orderBy(), derived, limits,
                        route);
            }
        } else {
            node = spec.orderBy().isEmpty() ? route : new MergeSort(spec.orderBy(), derived, route);
        }
        if (spec.having().isPresent()) {
            node = new HavingFilter(spec.having().get(), derived, new ArrayList<>(parameters), node);
        }
        if (spec.distinct()) {
            node = new Distinct(derived, limits, node);
        }
        if (spec.limit().isPresent()) {
            LimitSpec limit = spec.limit().get();
            node = new Limit(limit.offset(parameters), limit.count(parameters), node);
        }
        if (derived > 0) {
            node = new Projection(derived, node);
        }
        return node;
    }
}
