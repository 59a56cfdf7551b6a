package io.shardwire.router.merge;

import io.shardwire.router.rewrite.MergeSpec.AggregateFunction;
import io.shardwire.router.rewrite.MergeSpec.AggregateSpec;
import io.shardwire.router.rewrite.MergeSpec.ComputedColumn;
import java.util.ArrayList;
import java.util.List;

/**
 * The aggregates of a grouped query, resolved to column indexes: makes the units for a new group
 * and writes their results into the group's output row, then the expressions over them.
 */
final class GroupAggregates {

    /**
     * One aggregate with its columns resolved.
     *
     * @param function what it computes
     * @param output   the column its result goes to
     * @param inputs   the node columns it reads
     */
    private record Resolved(AggregateFunction function, int output, int[] inputs) {
    }

    /**
     * One expression over aggregates.
     *
     * @param output    the column its value goes to
     * @param evaluator computes it from the group's row
     * @param context   the expression, for errors
     */
    private record Computed(int output, RowExpressionEvaluator evaluator, String context) {
    }

    private final List<Resolved> aggregates = new ArrayList<>();
    private final List<Computed> computed = new ArrayList<>();
    private final List<ResultColumn> columns;
    private final MemoryBudget budget;

    /**
     * @param specs          the aggregates
     * @param columns        the node columns
     * @param derivedColumns how many of them are derived
     * @param expressions    the expressions over aggregates (no {@code ?} in them)
     * @param budget         the memory budget for COUNT(DISTINCT) sets, or null when its input is sorted
     */
    GroupAggregates(List<AggregateSpec> specs, List<ComputedColumn> expressions, List<ResultColumn> columns,
                    int derivedColumns, MemoryBudget budget) {
        this.columns = columns;
        this.budget = budget;
        for (AggregateSpec spec : specs) {
            int[] inputs = spec.inputs().stream().mapToInt(c -> c.resolve(columns.size(), derivedColumns)).toArray();
            aggregates.add(new Resolved(spec.function(), spec.column().resolve(columns.size(), derivedColumns), inputs));
        }
        for (ComputedColumn c : expressions) {
            computed.add(new Computed(c.column().resolve(columns.size(), derivedColumns),
                    new RowExpressionEvaluator(c.expression(), columns, derivedColumns, List.of()),
                    c.expression().expression().toString()));
        }
    }

    /** Fresh units for a new group. */
    List<AggregationUnit> newUnits() {
        List<AggregationUnit> units = new ArrayList<>(aggregates.size());
        for (Resolved a : aggregates) {
            ResultColumn column = columns.get(a.output());
            units.add(switch (a.function()) {
                case COUNT -> new AccumulationAggregationUnit(a.inputs()[0], true, column);
                case SUM -> new AccumulationAggregationUnit(a.inputs()[0], false, column);
                case MIN -> new ComparableAggregationUnit(a.inputs()[0], false, ValueOrder.of(column));
                case MAX -> new ComparableAggregationUnit(a.inputs()[0], true, ValueOrder.of(column));
                case AVG -> new AverageAggregationUnit(a.inputs()[0], a.inputs()[1],
                        columns.get(a.inputs()[0]).mysqlType().isFloatingPoint(), column);
                case COUNT_DISTINCT -> new DistinctCountAggregationUnit(a.inputs()[0],
                        ValueOrder.of(columns.get(a.inputs()[0])), budget);
            });
        }
        return units;
    }

    static void add(List<AggregationUnit> units, RowCursor row) {
        for (AggregationUnit unit : units) {
            unit.add(row);
        }
    }

    /**
     * Writes the units' results into a group's row (its first node row, whose other columns stand
     * for the group), then the expressions over them, in select-list order.
     */
    byte[][] finish(byte[][] row, List<AggregationUnit> units) {
        for (int i = 0; i < aggregates.size(); i++) {
            row[aggregates.get(i).output()] = units.get(i).result();
        }
        RowCursor cursor = Rows.of(row);
        for (Computed c : computed) {
            row[c.output()] = MySQLNumberText.of(c.evaluator().evaluate(cursor), columns.get(c.output()), c.context());
        }
        return row;
    }

    /** The one row of an aggregate query without GROUP BY over no rows: counts 0, everything else NULL. */
    byte[][] emptyRow() {
        return finish(new byte[columns.size()][], newUnits());
    }
}
