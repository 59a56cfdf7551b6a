package io.shardwire.router.merge;

import java.math.BigDecimal;

/**
 * COUNT and SUM: the sum of the nodes' partial counts or sums. COUNT of no rows is 0; SUM of no
 * rows (or only NULLs) is NULL. A SUM whose column is DECIMAL (SUM of integers or decimals) adds
 * exactly and keeps the column's decimals; a DOUBLE one adds doubles.
 */
final class AccumulationAggregationUnit implements AggregationUnit {

    private final int input;
    private final boolean count;
    private final ResultColumn column;
    private BigDecimal exact;
    private double approximate;
    private boolean any;

    /**
     * @param input  the node column with the partial value
     * @param count  COUNT (else SUM)
     * @param column the aggregate's column, whose type and decimals the result takes
     */
    AccumulationAggregationUnit(int input, boolean count, ResultColumn column) {
        this.input = input;
        this.count = count;
        this.column = column;
    }

    @Override
    public void add(RowCursor row) {
        byte[] value = row.value(input);
        if (value == null) {
            return;
        }
        String text = ValueOrder.text(value);
        if (column.mysqlType().isFloatingPoint()) {
            approximate += Double.parseDouble(text);
        } else {
            BigDecimal v = new BigDecimal(text);
            exact = exact == null ? v : exact.add(v);
        }
        any = true;
    }

    @Override
    public byte[] result() {
        if (count) {
            return MySQLNumberText.integer(exact == null ? 0 : exact.longValueExact());
        }
        if (!any) {
            return null;
        }
        return column.mysqlType().isFloatingPoint() ? MySQLNumberText.floating(approximate)
                : MySQLNumberText.decimal(exact, column.decimals());
    }
}
