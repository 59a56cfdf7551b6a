package io.shardwire.router.plan;

import io.shardwire.router.rewrite.MergeSpec.SortKey;
import java.util.List;

/**
 * A k-way merge of the nodes' rows, each node having sorted its own by {@code keys}.
 *
 * @param keys           the sort keys
 * @param derivedColumns how many trailing node columns are derived (to locate the keys)
 * @param input          the route
 */
public record MergeSort(List<SortKey> keys, int derivedColumns, NodeRoute input) implements PlanNode {

    public MergeSort {
        keys = List.copyOf(keys);
    }

    @Override
    public PlanDescription describe() {
        return new PlanDescription("Sort", "Merge", List.of("keys: " + PlanNode.labels(keys)), List.of(input.describe()));
    }
}
