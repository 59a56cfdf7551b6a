package io.shardwire.router.merge;

import java.util.List;

/** Drops the derived columns the rewrite appended: the client sees only its own select list. */
final class ProjectionDecoratorMergedResult implements MergedResult {

    private final MergedResult input;
    private final List<ResultColumn> columns;

    ProjectionDecoratorMergedResult(MergedResult input, int derivedColumns) {
        this.input = input;
        List<ResultColumn> all = input.columns();
        this.columns = List.copyOf(all.subList(0, all.size() - derivedColumns));
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public boolean next() {
        return input.next();
    }

    @Override
    public byte[] value(int column) {
        if (column >= columns.size()) {
            throw new IndexOutOfBoundsException("column " + column + " (expected: < " + columns.size() + ")");
        }
        return input.value(column);
    }
}
