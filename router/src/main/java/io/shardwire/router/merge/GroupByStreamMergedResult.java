package io.shardwire.router.merge;

import java.util.List;

/**
 * GROUP BY over input sorted by the group keys: adjacent rows with equal keys (equal in each key's
 * order, so collation-aware) form a group, folded into one row whose aggregates are recomputed and
 * whose other columns are the group's first row's. Without group keys everything is one group,
 * and an empty input still gives its one row (COUNT 0, the rest NULL), as MySQL does.
 */
final class GroupByStreamMergedResult implements MergedResult {

    private final MergedResult input;
    private final List<Rows.Key> groupKeys;
    private final GroupAggregates aggregates;
    private final int width;
    private byte[][] row;
    private boolean started;
    private boolean inputHasRow;
    private boolean emittedEmpty;

    GroupByStreamMergedResult(MergedResult input, List<Rows.Key> groupKeys, GroupAggregates aggregates) {
        this.input = input;
        this.groupKeys = List.copyOf(groupKeys);
        this.aggregates = aggregates;
        this.width = input.columns().size();
    }

    @Override
    public List<ResultColumn> columns() {
        return input.columns();
    }

    @Override
    public boolean next() {
        if (!started) {
            started = true;
            inputHasRow = input.next();
            if (!inputHasRow && groupKeys.isEmpty()) {
                row = aggregates.emptyRow();
                emittedEmpty = true;
                return true;
            }
        }
        if (!inputHasRow || emittedEmpty) {
            return false;
        }
        byte[][] first = Rows.copy(input, width);
        RowCursor firstRow = Rows.of(first);
        List<AggregationUnit> units = aggregates.newUnits();
        GroupAggregates.add(units, input);
        while ((inputHasRow = input.next()) && sameGroup(firstRow, input)) {
            GroupAggregates.add(units, input);
        }
        row = aggregates.finish(first, units);
        return true;
    }

    private boolean sameGroup(RowCursor a, RowCursor b) {
        for (Rows.Key key : groupKeys) {
            if (key.order().compare(a.value(key.column()), b.value(key.column())) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public byte[] value(int column) {
        return row[column];
    }
}
