package io.shardwire.router.plan;

import io.shardwire.router.rewrite.ColumnRef;
import io.shardwire.router.rewrite.MergeSpec.SortKey;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * One operator of an execution plan, after Vitess's primitives: a {@link NodeRoute} leaf that runs
 * SQL on data nodes, and merge operators above it, each turned into a merged-result cursor by
 * {@code io.shardwire.router.merge.ResultMerger}. Immutable.
 */
public sealed interface PlanNode
        permits NodeRoute, MergeSort, OrderedAggregate, MemoryAggregate, Distinct, HavingFilter, Limit, Projection, LocalAnswer {

    /** The operator and its inputs, for EXPLAIN and golden plan tests. */
    PlanDescription describe();

    /** This plan with each data node statement of its routes changed by {@code change}. */
    static PlanNode withStatements(PlanNode node, UnaryOperator<NodeStatement> change) {
        return switch (node) {
            case NodeRoute route -> route(route, change);
            case MergeSort sort -> new MergeSort(sort.keys(), sort.derivedColumns(), route(sort.input(), change));
            case OrderedAggregate aggregate -> new OrderedAggregate(aggregate.groupBy(), aggregate.aggregates(),
                    aggregate.computed(), aggregate.derivedColumns(), withStatements(aggregate.input(), change));
            case MemoryAggregate aggregate -> new MemoryAggregate(aggregate.groupBy(), aggregate.aggregates(),
                    aggregate.computed(), aggregate.orderBy(), aggregate.derivedColumns(), aggregate.limits(),
                    route(aggregate.input(), change));
            case Distinct distinct -> new Distinct(distinct.derivedColumns(), distinct.limits(),
                    withStatements(distinct.input(), change));
            case HavingFilter having -> new HavingFilter(having.having(), having.derivedColumns(), having.parameters(),
                    withStatements(having.input(), change));
            case Limit limit -> new Limit(limit.offset(), limit.count(), withStatements(limit.input(), change));
            case Projection projection -> new Projection(projection.derivedColumns(),
                    withStatements(projection.input(), change));
            case LocalAnswer local -> local;
        };
    }

    private static NodeRoute route(NodeRoute route, UnaryOperator<NodeStatement> change) {
        return new NodeRoute(route.variant(), route.statements().stream().map(change).toList(), route.conditions());
    }

    /** A column reference as plan descriptions show it: {@code #2} for the third select item, {@code d0} for the first derived column. */
    static String label(ColumnRef ref) {
        return switch (ref) {
            case ColumnRef.Item item -> "#" + item.index();
            case ColumnRef.Derived derived -> "d" + derived.ordinal();
        };
    }

    /** Sort keys as plan descriptions show them: {@code #0 ASC, d1 DESC}. */
    static String labels(List<SortKey> keys) {
        return keys.stream().map(k -> label(k.column()) + (k.descending() ? " DESC" : " ASC")).collect(Collectors.joining(", "));
    }
}
