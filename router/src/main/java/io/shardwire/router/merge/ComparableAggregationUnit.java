package io.shardwire.router.merge;

import java.util.Comparator;

/**
 * MIN and MAX: the least or greatest of the nodes' partial results in the column's order
 * (collation-aware for strings), returned as the exact bytes the winning node sent. NULLs are ignored.
 */
final class ComparableAggregationUnit implements AggregationUnit {

    private final int input;
    private final boolean max;
    private final Comparator<byte[]> order;
    private byte[] best;

    ComparableAggregationUnit(int input, boolean max, Comparator<byte[]> order) {
        this.input = input;
        this.max = max;
        this.order = order;
    }

    @Override
    public void add(RowCursor row) {
        byte[] value = row.value(input);
        if (value == null) {
            return;
        }
        if (best == null) {
            best = value.clone();
            return;
        }
        int c = order.compare(value, best);
        if (max ? c > 0 : c < 0) {
            best = value.clone();
        }
    }

    @Override
    public byte[] result() {
        return best;
    }
}
