package io.shardwire.router.merge;

import java.util.List;

/** Passes the merged rows whose HAVING condition is TRUE; the nodes could not filter partial groups. */
final class HavingFilterMergedResult implements MergedResult {

    private final MergedResult input;
    private final RowExpressionEvaluator having;

    HavingFilterMergedResult(MergedResult input, RowExpressionEvaluator having) {
        this.input = input;
        this.having = having;
    }

    @Override
    public List<ResultColumn> columns() {
        return input.columns();
    }

    @Override
    public boolean next() {
        while (input.next()) {
            if (having.test(input)) {
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
