package io.shardwire.router.merge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * GROUP BY over input in no useful order: every row is folded into its group in memory (a sorted
 * map on the group keys, so equality follows each key's collation), then the groups are sorted by
 * the query's ORDER BY (ties keep group-key order). Reads all input on the first {@link #next()},
 * within its {@link MemoryBudget}.
 */
final class GroupByMemoryMergedResult implements MergedResult {

    private final MergedResult input;
    private final List<Rows.Key> groupKeys;
    private final List<Rows.Key> orderBy;
    private final GroupAggregates aggregates;
    private final MemoryBudget budget;
    private Iterator<byte[][]> groups;
    private byte[][] row;

    GroupByMemoryMergedResult(MergedResult input, List<Rows.Key> groupKeys, List<Rows.Key> orderBy,
                              GroupAggregates aggregates, MemoryBudget budget) {
        this.input = input;
        this.groupKeys = List.copyOf(groupKeys);
        this.orderBy = List.copyOf(orderBy);
        this.aggregates = aggregates;
        this.budget = budget;
    }

    @Override
    public List<ResultColumn> columns() {
        return input.columns();
    }

    /** A group being folded: its first row and its aggregation units. */
    private record Group(byte[][] first, List<AggregationUnit> units) {
    }

    @Override
    public boolean next() {
        if (groups == null) {
            groups = fold().iterator();
        }
        if (!groups.hasNext()) {
            return false;
        }
        row = groups.next();
        return true;
    }

    private List<byte[][]> fold() {
        int width = input.columns().size();
        Comparator<byte[][]> byKeys = (a, b) -> Rows.compare(groupKeys, Rows.of(a), Rows.of(b));
        TreeMap<byte[][], Group> folded = new TreeMap<>(byKeys);
        while (input.next()) {
            byte[][] keyRow = new byte[width][];
            for (Rows.Key key : groupKeys) {
                keyRow[key.column()] = input.value(key.column());
            }
            Group group = folded.get(keyRow);
            if (group == null) {
                byte[][] first = Rows.copy(input, width);
                budget.hold(first);
                group = new Group(first, aggregates.newUnits());
                folded.put(first, group);
            }
            GroupAggregates.add(group.units(), input);
        }
        List<byte[][]> rows = new ArrayList<>(folded.size());
        for (Group group : folded.values()) {
            rows.add(aggregates.finish(group.first(), group.units()));
        }
        if (!orderBy.isEmpty()) {
            rows.sort((a, b) -> Rows.compare(orderBy, Rows.of(a), Rows.of(b)));
        }
        return rows;
    }

    @Override
    public byte[] value(int column) {
        return row[column];
    }
}
