package io.shardwire.router.merge;

import java.util.List;
import java.util.PriorityQueue;

/**
 * A k-way merge of node results each sorted by the same keys: a heap holds every node positioned
 * on its next row; the least is returned, then that node advances and goes back in. Rows with
 * equal keys come in node order. Reads each node only as far as the client reads.
 */
final class OrderByStreamMergedResult implements MergedResult {

    private final List<ResultColumn> columns;
    private final List<RowCursor> inputs;
    private final List<Rows.Key> keys;
    private final PriorityQueue<Integer> heap;
    private int current = -1;
    private boolean started;

    OrderByStreamMergedResult(List<ResultColumn> columns, List<RowCursor> inputs, List<Rows.Key> keys) {
        this.columns = List.copyOf(columns);
        this.inputs = List.copyOf(inputs);
        this.keys = List.copyOf(keys);
        this.heap = new PriorityQueue<>(Math.max(1, inputs.size()), (a, b) -> {
            int c = Rows.compare(this.keys, this.inputs.get(a), this.inputs.get(b));
            return c != 0 ? c : Integer.compare(a, b);
        });
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public boolean next() {
        if (!started) {
            started = true;
            for (int i = 0; i < inputs.size(); i++) {
                if (inputs.get(i).next()) {
                    heap.add(i);
                }
            }
        } else if (current >= 0 && inputs.get(current).next()) {
            heap.add(current);
        }
        Integer head = heap.poll();
        current = head == null ? -1 : head;
        return head != null;
    }

    @Override
    public byte[] value(int column) {
        return inputs.get(current).value(column);
    }
}
