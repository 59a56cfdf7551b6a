package io.shardwire.router.merge;

import java.util.List;

/** The nodes' rows one node after the other, in node order: for unordered results, and a single node's pass-through. */
final class IteratorStreamMergedResult implements MergedResult {

    private final List<ResultColumn> columns;
    private final List<RowCursor> inputs;
    private int current;

    IteratorStreamMergedResult(List<ResultColumn> columns, List<RowCursor> inputs) {
        this.columns = List.copyOf(columns);
        this.inputs = List.copyOf(inputs);
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public boolean next() {
        while (current < inputs.size()) {
            if (inputs.get(current).next()) {
                return true;
            }
            current++;
        }
        return false;
    }

    @Override
    public byte[] value(int column) {
        return inputs.get(current).value(column);
    }
}
