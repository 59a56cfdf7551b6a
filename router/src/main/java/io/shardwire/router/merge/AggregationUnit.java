package io.shardwire.router.merge;

/**
 * Recomputes one aggregate of one group from the nodes' partial results, after ShardingSphere's
 * aggregation units. One instance per group; not thread-safe.
 */
sealed interface AggregationUnit
        permits AccumulationAggregationUnit, AverageAggregationUnit, ComparableAggregationUnit, DistinctCountAggregationUnit {

    /** Adds one node row of the group. */
    void add(RowCursor row);

    /** The group's value, as MariaDB would write it, or null for SQL NULL. */
    byte[] result();
}
