package io.shardwire.router.merge;

import java.util.List;
import java.util.TreeSet;

/**
 * SELECT DISTINCT across nodes: passes a row on unless its visible columns equal (in each column's
 * order, so collation-aware) those of a row already passed, keeping the input's order. Remembers
 * the rows passed, within its {@link MemoryBudget}.
 */
final class DistinctMemoryMergedResult implements MergedResult {

    private final MergedResult input;
    private final int visible;
    private final TreeSet<byte[][]> seen;
    private final MemoryBudget budget;

    DistinctMemoryMergedResult(MergedResult input, List<Rows.Key> visibleKeys, int visible, MemoryBudget budget) {
        this.input = input;
        this.visible = visible;
        this.budget = budget;
        this.seen = new TreeSet<>((a, b) -> Rows.compare(visibleKeys, Rows.of(a), Rows.of(b)));
    }

    @Override
    public List<ResultColumn> columns() {
        return input.columns();
    }

    @Override
    public boolean next() {
        while (input.next()) {
            byte[][] values = Rows.copy(input, visible);
            if (!seen.contains(values)) {
                budget.hold(values);
                seen.add(values);
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
