package io.shardwire.router.rewrite;

import io.shardwire.router.route.StatementRefusedException;
import io.shardwire.router.route.ValueSource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import net.sf.jsqlparser.expression.Expression;

/**
 * What it takes to merge the rows of a SELECT rewritten for several data nodes into the rows one
 * server would have returned. Produced by {@link SelectRewriter}; the plan's merge operators are chosen from it.
 *
 * @param derivedColumns the number of columns appended to each node's rows, removed after the merge
 * @param orderBy        the client's ORDER BY, on node columns
 * @param nodeOrderBy    the order each node sorts its rows in (the client's ORDER BY, or the group keys
 *                       when a streaming group-by needs them, followed by a COUNT(DISTINCT) argument)
 * @param groupBy        the client's GROUP BY keys
 * @param aggregates     every aggregate to merge, visible or derived
 * @param computed       expressions over aggregates, recomputed on each merged group after its aggregates
 * @param aggregated     whether the query aggregates (aggregates or GROUP BY): one row per group, or one row if no GROUP BY
 * @param streamGroups   whether the nodes sort by the group keys (then a COUNT(DISTINCT) argument), so
 *                       that after an ordered merge each group's rows are adjacent; else groups merge in memory
 * @param distinct       SELECT DISTINCT: duplicates of the visible columns are dropped after grouping
 * @param having         the HAVING condition, evaluated after the merge
 * @param limit          LIMIT/OFFSET, applied after everything else
 */
public record MergeSpec(int derivedColumns, List<SortKey> orderBy, List<SortKey> nodeOrderBy, List<ColumnRef> groupBy,
                        List<AggregateSpec> aggregates, List<ComputedColumn> computed, boolean aggregated, boolean streamGroups, boolean distinct,
                        Optional<HavingSpec> having,
                        Optional<LimitSpec> limit) {

    public MergeSpec {
        orderBy = List.copyOf(orderBy);
        nodeOrderBy = List.copyOf(nodeOrderBy);
        groupBy = List.copyOf(groupBy);
        aggregates = List.copyOf(aggregates);
        computed = List.copyOf(computed);
    }

    /**
     * One ORDER BY key. MySQL sorts NULL first ascending and last descending.
     *
     * @param column     the node column
     * @param descending DESC
     */
    public record SortKey(ColumnRef column, boolean descending) {
    }

    /** The aggregate functions the merge recomputes. */
    public enum AggregateFunction {
        COUNT,
        SUM,
        MIN,
        MAX,
        /** Recomputed as SUM / COUNT of derived columns. */
        AVG,
        /** Counted over the distinct values of a derived argument column. */
        COUNT_DISTINCT
    }

    /**
     * One aggregate.
     *
     * @param function what it computes
     * @param column   where its value goes in the merged row (and whose node column gives its type)
     * @param inputs   the node columns it is computed from: the column itself for COUNT, SUM, MIN and
     *                 MAX; the derived SUM and COUNT for AVG; the derived argument for COUNT(DISTINCT)
     * @param text     the aggregate as written, for plan descriptions
     */
    public record AggregateSpec(AggregateFunction function, ColumnRef column, List<ColumnRef> inputs, String text) {
        public AggregateSpec {
            inputs = List.copyOf(inputs);
        }
    }

    /**
     * An expression the merge evaluates on a merged row (see {@code RowExpressionEvaluator}).
     *
     * @param expression the expression as written
     * @param references the node column each of its aggregates and columns reads, by AST node identity
     * @param averages   for each AVG column it reads, the merged SUM and COUNT columns whose quotient,
     *                   with MySQL's full DECIMAL digits, is the value MySQL computes with (the AVG column
     *                   itself shows it rounded)
     * @param substitutes for a name in HAVING that is the alias of a select item the merge computes, that
     *                   item's expression (its column shows the value rounded; MySQL compares the full one)
     */
    public record RowExpression(Expression expression, Map<Expression, ColumnRef> references,
                                Map<ColumnRef, AverageInputs> averages, Map<Expression, Expression> substitutes) {
        public RowExpression {
            references = Collections.unmodifiableMap(new IdentityHashMap<>(references));
            averages = Map.copyOf(averages);
            substitutes = Collections.unmodifiableMap(new IdentityHashMap<>(substitutes));
        }
    }

    /**
     * The merged SUM and COUNT columns an AVG is the quotient of.
     *
     * @param sum   the SUM column
     * @param count the COUNT column
     */
    public record AverageInputs(ColumnRef sum, ColumnRef count) {
    }

    /**
     * HAVING, evaluated on merged rows.
     *
     * @param condition the condition
     */
    public record HavingSpec(RowExpression condition) {
    }

    /**
     * A column whose value is an expression over aggregates ({@code SUM(a)/COUNT(*)}), computed
     * after the merge. The nodes compute the same expression, so its column definition (type,
     * decimals) is the one one server would send; only the value is replaced.
     *
     * @param column     the column it fills
     * @param expression the expression
     */
    public record ComputedColumn(ColumnRef column, RowExpression expression) {
    }

    /**
     * LIMIT [offset,] count.
     *
     * @param offset rows to skip, or null
     * @param count  rows to return
     */
    public record LimitSpec(ValueSource offset, ValueSource count) {

        /** Rows to skip in one execution: 0 without an offset. */
        public long offset(List<?> parameters) throws StatementRefusedException {
            return offset == null ? 0 : rows(offset.resolve(parameters));
        }

        /** Rows to return in one execution. */
        public long count(List<?> parameters) throws StatementRefusedException {
            return rows(count.resolve(parameters));
        }

        /**
         * A LIMIT value as MariaDB takes a bound one: NULL is 0, a negative integer is read unsigned (so it is past
         * any row count), an integer in a string is that integer; anything else (a fraction, other text) is refused,
         * where MariaDB would truncate or read a leading number. A constant LIMIT the parser took is an integer.
         */
        static long rows(Object value) throws StatementRefusedException {
            return switch (value) {
                case null -> 0;
                case Long l -> l < 0 ? Long.MAX_VALUE : l;
                case Integer i -> i < 0 ? Long.MAX_VALUE : i;
                case Short s -> s < 0 ? Long.MAX_VALUE : s;
                case Byte b -> b < 0 ? Long.MAX_VALUE : b;
                case BigInteger big -> big.signum() < 0 || big.bitLength() > 63 ? Long.MAX_VALUE : big.longValueExact();
                // Drivers bind a script's numbers as DOUBLE (node's mysql2): a whole one is that integer, as MariaDB
                // reads it; a fraction is refused rather than rounded as the server would round it.
                case Double d when d == Math.rint(d) && !d.isInfinite() -> d < 0 ? Long.MAX_VALUE : rows(BigDecimal.valueOf(d));
                case Float f when f == Math.rint(f) && !f.isInfinite() -> rows((double) f);
                case BigDecimal decimal when decimal.stripTrailingZeros().scale() <= 0 -> rows(decimal.toBigIntegerExact());
                case String text when DIGITS.matcher(text).matches() -> rows(new BigInteger(text.strip()));
                default -> throw new StatementRefusedException(StatementRefusedException.Construct.UNSUPPORTED_STATEMENT,
                        List.of(), "LIMIT " + value + " over several data nodes (expected an integer)");
            };
        }

        private static final Pattern DIGITS = Pattern.compile("\\s*\\d+\\s*");
    }
}
