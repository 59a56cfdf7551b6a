package io.shardwire.router.merge;

import java.util.List;

/**
 * SELECT DISTINCT over rows sorted by the visible columns (the first sort keys are exactly those columns): rows
 * equal on them come one after another, so a row passes unless it equals the last row passed. Holds one row
 * instead of every row passed, and compares once per row instead of searching a tree.
 */
final class DistinctSortedMergedResult implements MergedResult {

    private final MergedResult input;
    private final List<Rows.Key> visibleKeys;
    private final int visible;
    private byte[][] last;

    DistinctSortedMergedResult(MergedResult input, List<Rows.Key> visibleKeys, int visible) {
        this.input = input;
        this.visibleKeys = visibleKeys;
        this.visible = visible;
    }

    @Override
    public List<ResultColumn> columns() {
        return input.columns();
    }

    @Override
    public boolean next() {
        while (input.next()) {
            if (last == null || Rows.compare(visibleKeys, Rows.of(last), input) != 0) {
                last = Rows.copy(input, visible);
                return true;
            }
        }
        return false;
    }

    @Override
    public byte[] value(int column) {
        return input.value(column);
    }
}
