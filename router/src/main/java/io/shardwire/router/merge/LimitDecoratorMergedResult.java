package io.shardwire.router.merge;

import java.util.List;

/**
 * LIMIT offset, count over the merged rows: skips {@code offset} rows, then passes at most
 * {@code count}; stops reading its input once the count is reached.
 */
final class LimitDecoratorMergedResult implements MergedResult {

    private final MergedResult input;
    private final long offset;
    private final long count;
    private long returned;
    private boolean skipped;

    LimitDecoratorMergedResult(MergedResult input, long offset, long count) {
        this.input = input;
        this.offset = offset;
        this.count = count;
    }

    @Override
    public List<ResultColumn> columns() {
        return input.columns();
    }

    @Override
    public boolean next() {
        if (!skipped) {
            skipped = true;
            for (long i = 0; i < offset; i++) {
                if (!input.next()) {
                    return false;
                }
            }
        }
        if (returned >= count || !input.next()) {
            return false;
        }
        returned++;
        return true;
    }

    @Override
    public byte[] value(int column) {
        return input.value(column);
    }
}
