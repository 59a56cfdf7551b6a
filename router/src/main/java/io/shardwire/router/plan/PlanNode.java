package io.shardwire.router.plan;

import io.shardwire.router.rewrite.ColumnRef;
import io.shardwire.router.rewrite.MergeSpec.SortKey;
import java.util.List;
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
