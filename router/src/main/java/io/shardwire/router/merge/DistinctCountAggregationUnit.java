package io.shardwire.router.merge;

import java.util.Comparator;
import java.util.TreeSet;

/**
 * COUNT(DISTINCT x): each node grouped by x as well, so it sends each of its x values once per
 * group; the merge counts the distinct non-NULL values, equal meaning equal in the column's order
 * (so 'a' and 'A' are one value under a case-insensitive collation). Streaming, the values of a
 * group arrive sorted and are counted where they change; in memory they are kept in a set, within
 * the merge's {@link MemoryBudget}.
 */
final class DistinctCountAggregationUnit implements AggregationUnit {

    private final int input;
    private final Comparator<byte[]> order;
    private final TreeSet<byte[]> seen;
    private final MemoryBudget budget;
    private byte[] last;
    private long count;

    /**
     * @param input  the derived column with the argument x
     * @param order  x's value order
     * @param budget the memory budget, or null when values arrive sorted
     */
    DistinctCountAggregationUnit(int input, Comparator<byte[]> order, MemoryBudget budget) {
        this.input = input;
        this.order = order;
        this.budget = budget;
        this.seen = budget == null ? null : new TreeSet<>(order);
    }

    @Override
    public void add(RowCursor row) {
        byte[] value = row.value(input);
        if (value == null) {
            return;
        }
        if (seen != null) {
            if (!seen.contains(value)) {
                byte[] copy = value.clone();
                budget.hold(copy);
                seen.add(copy);
                count++;
            }
        } else if (last == null || order.compare(last, value) != 0) {
            last = value.clone();
            count++;
        }
    }

    @Override
    public byte[] result() {
        return MySQLNumberText.integer(count);
    }
}
