package io.shardwire.router.merge;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * AVG, recomputed as the sum of the nodes' derived SUMs over the sum of their derived COUNTs.
 * NULL when nothing was counted. A DECIMAL AVG (of integers or decimals) divides exactly and rounds
 * half away from zero to the column's decimals (the argument's + 4, as MariaDB's
 * div_precision_increment gives); a DOUBLE one divides doubles.
 */
final class AverageAggregationUnit implements AggregationUnit {

    private final int sumInput;
    private final int countInput;
    private final ResultColumn column;
    private final boolean sumIsDouble;
    private BigDecimal exactSum = BigDecimal.ZERO;
    private double approximateSum;
    private long count;

    /**
     * @param sumInput    the derived SUM column
     * @param countInput  the derived COUNT column
     * @param sumIsDouble whether the derived SUM is a DOUBLE
     * @param column      the AVG column, whose type and decimals the result takes
     */
    AverageAggregationUnit(int sumInput, int countInput, boolean sumIsDouble, ResultColumn column) {
        this.sumInput = sumInput;
        this.countInput = countInput;
        this.sumIsDouble = sumIsDouble;
        this.column = column;
    }

    @Override
    public void add(RowCursor row) {
        byte[] sum = row.value(sumInput);
        byte[] n = row.value(countInput);
        if (n != null) {
            count += Long.parseLong(ValueOrder.text(n));
        }
        if (sum != null) {
            String text = ValueOrder.text(sum);
            if (sumIsDouble) {
                approximateSum += Double.parseDouble(text);
            } else {
                exactSum = exactSum.add(new BigDecimal(text));
            }
        }
    }

    @Override
    public byte[] result() {
        if (count == 0) {
            return null;
        }
        if (column.mysqlType().isFloatingPoint()) {
            double sum = sumIsDouble ? approximateSum : exactSum.doubleValue();
            return MySQLNumberText.floating(sum / count);
        }
        BigDecimal sum = sumIsDouble ? BigDecimal.valueOf(approximateSum) : exactSum;
        return MySQLNumberText.decimal(sum.divide(BigDecimal.valueOf(count), column.decimals(), RoundingMode.HALF_UP),
                column.decimals());
    }
}
