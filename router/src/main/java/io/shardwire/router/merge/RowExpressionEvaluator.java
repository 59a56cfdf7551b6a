package io.shardwire.router.merge;

import io.shardwire.router.merge.SqlValue.Dbl;
import io.shardwire.router.merge.SqlValue.Dec;
import io.shardwire.router.merge.SqlValue.Int;
import io.shardwire.router.merge.SqlValue.Null;
import io.shardwire.router.merge.SqlValue.Text;
import io.shardwire.router.parse.RoundFunction;
import io.shardwire.router.rewrite.ColumnRef;
import io.shardwire.router.rewrite.MergeSpec.AverageInputs;
import io.shardwire.router.rewrite.MergeSpec.RowExpression;
import io.shardwire.router.route.SqlLiterals;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;

/**
 * Evaluates an expression (HAVING, or an expression over aggregates) on a merged row with MySQL's
 * rules: three-valued logic; {@link MySQLArithmetic} for {@code + - * /}, unary minus and ROUND;
 * numbers compare as numbers (exactly, unless a DOUBLE is involved), strings by the column's
 * collation, a string against a number as doubles. An AVG reads as the quotient of its merged SUM
 * and COUNT with every digit MySQL keeps, not as its rounded column. The supported expressions are
 * those the rewrite accepts at plan time ({@code RowExpressionSupport}), so others never get here.
 */
final class RowExpressionEvaluator {

    private final Expression root;
    private final Map<Expression, Expression> substitutes;
    private final Map<Expression, Integer> columns = new IdentityHashMap<>();
    private final Map<Integer, int[]> averages = new HashMap<>();
    private final List<ResultColumn> resultColumns;
    private final List<?> parameters;

    /**
     * @param expression     the expression and the columns it reads
     * @param resultColumns  the node columns
     * @param derivedColumns how many of them are derived
     * @param parameters     the execution's bound values, for {@code ?}
     */
    RowExpressionEvaluator(RowExpression expression, List<ResultColumn> resultColumns, int derivedColumns, List<?> parameters) {
        this.root = expression.expression();
        this.substitutes = expression.substitutes();
        this.resultColumns = resultColumns;
        this.parameters = parameters;
        int width = resultColumns.size();
        for (Map.Entry<Expression, ColumnRef> entry : expression.references().entrySet()) {
            columns.put(entry.getKey(), entry.getValue().resolve(width, derivedColumns));
        }
        for (Map.Entry<ColumnRef, AverageInputs> entry : expression.averages().entrySet()) {
            AverageInputs inputs = entry.getValue();
            averages.put(entry.getKey().resolve(width, derivedColumns), new int[] {
                    inputs.sum().resolve(width, derivedColumns), inputs.count().resolve(width, derivedColumns)});
        }
    }

    /** Whether the row passes as a condition: TRUE (not FALSE, not NULL). */
    boolean test(RowCursor row) {
        return Boolean.TRUE.equals(truth(evaluate(root, row)));
    }

    /** The expression's value on the row. */
    SqlValue evaluate(RowCursor row) {
        return evaluate(root, row);
    }

    private SqlValue evaluate(Expression e, RowCursor row) {
        Integer column = columns.get(e);
        if (column != null) {
            int[] average = averages.get(column);
            return average == null ? columnValue(column, row.value(column)) : average(column, average, row);
        }
        Expression substitute = substitutes.get(e);
        if (substitute != null) {
            return evaluate(substitute, row);
        }
        String context = e.toString();
        return switch (e) {
            case ParenthesedExpressionList<?> p when p.size() == 1 -> evaluate(p.getFirst(), row);
            case AndExpression and -> logic(and(truth(evaluate(and.getLeftExpression(), row)),
                    truth(evaluate(and.getRightExpression(), row))));
            case OrExpression or -> logic(or(truth(evaluate(or.getLeftExpression(), row)),
                    truth(evaluate(or.getRightExpression(), row))));
            case NotExpression not -> {
                Boolean inner = truth(evaluate(not.getExpression(), row));
                yield logic(inner == null ? null : !inner);
            }
            case IsNullExpression isNull -> logic((evaluate(isNull.getLeftExpression(), row) instanceof Null) != isNull.isNot());
            case EqualsTo c -> comparison(c, row, r -> r == 0);
            case NotEqualsTo c -> comparison(c, row, r -> r != 0);
            case GreaterThan c -> comparison(c, row, r -> r > 0);
            case GreaterThanEquals c -> comparison(c, row, r -> r >= 0);
            case MinorThan c -> comparison(c, row, r -> r < 0);
            case MinorThanEquals c -> comparison(c, row, r -> r <= 0);
            case Between between -> {
                SqlValue v = evaluate(between.getLeftExpression(), row);
                Boolean low = compare(v, evaluate(between.getBetweenExpressionStart(), row), r -> r >= 0);
                Boolean high = compare(v, evaluate(between.getBetweenExpressionEnd(), row), r -> r <= 0);
                Boolean in = and(low, high);
                yield logic(in == null ? null : in != between.isNot());
            }
            case InExpression in -> in(in, row);
            case Addition a -> MySQLArithmetic.binary('+', evaluate(a.getLeftExpression(), row), evaluate(a.getRightExpression(), row), context);
            case Subtraction s -> MySQLArithmetic.binary('-', evaluate(s.getLeftExpression(), row), evaluate(s.getRightExpression(), row), context);
            case Multiplication m -> MySQLArithmetic.binary('*', evaluate(m.getLeftExpression(), row), evaluate(m.getRightExpression(), row), context);
            case Division d -> MySQLArithmetic.binary('/', evaluate(d.getLeftExpression(), row), evaluate(d.getRightExpression(), row), context);
            case SignedExpression s -> s.getSign() == '-'
                    ? MySQLArithmetic.negate(evaluate(s.getExpression(), row), context)
                    : evaluate(s.getExpression(), row);
            case Function f when RoundFunction.isSupported(f) ->
                    MySQLArithmetic.round(evaluate(RoundFunction.argument(f), row), RoundFunction.digits(f));
            case LongValue l -> new Int(l.getBigIntegerValue(), false);
            case DoubleValue d -> decimalLiteral(d.toString());
            case StringValue s -> literal(SqlLiterals.valueOf(s).orElseThrow().resolve(List.of()));
            case NullValue n -> SqlValue.NULL;
            case JdbcParameter p -> literal(parameters.get(p.getIndex() - 1));
            default -> throw new MergeException("expression " + e + " cannot be evaluated after the merge");
        };
    }

    /** A literal such as {@code 2.50} is a DECIMAL with its written digits; with an exponent it is a DOUBLE. */
    private static SqlValue decimalLiteral(String text) {
        if (text.toLowerCase(Locale.ROOT).contains("e")) {
            return new Dbl(Double.parseDouble(text), SqlValue.NOT_FIXED_DECIMALS);
        }
        BigDecimal value = new BigDecimal(text);
        return new Dec(value, Math.max(0, value.scale()));
    }

    private SqlValue average(int column, int[] inputs, RowCursor row) {
        byte[] sum = row.value(inputs[0]);
        byte[] count = row.value(inputs[1]);
        if (sum == null || count == null || Long.parseLong(ValueOrder.text(count)) == 0) {
            return SqlValue.NULL;
        }
        ResultColumn avg = resultColumns.get(column);
        if (avg.mysqlType().isFloatingPoint()) {
            return new Dbl(Double.parseDouble(ValueOrder.text(sum)) / Long.parseLong(ValueOrder.text(count)),
                    avg.decimals());
        }
        // Item_sum_avg::val_decimal: my_decimal_div(sum, count, div_precision_increment).
        SqlValue quotient = MySQLArithmetic.divide(new Dec(new BigDecimal(ValueOrder.text(sum)), 0),
                new Dec(new BigDecimal(ValueOrder.text(count)), 0), "AVG");
        return quotient instanceof Dec d ? new Dec(d.value(), avg.decimals()) : quotient;
    }

    private SqlValue in(InExpression in, RowCursor row) {
        SqlValue left = evaluate(in.getLeftExpression(), row);
        if (!(in.getRightExpression() instanceof ExpressionList<?> list)) {
            throw new MergeException("expression " + in + " cannot be evaluated after the merge");
        }
        Boolean found = false;
        for (Expression e : list) {
            Boolean equal = compare(left, evaluate(e, row), r -> r == 0);
            if (Boolean.TRUE.equals(equal)) {
                found = true;
                break;
            }
            if (equal == null) {
                found = null;
            }
        }
        return logic(found == null ? null : found != in.isNot());
    }

    private SqlValue columnValue(int column, byte[] bytes) {
        if (bytes == null) {
            return SqlValue.NULL;
        }
        ResultColumn c = resultColumns.get(column);
        MySQLType type = c.mysqlType();
        String text = ValueOrder.text(bytes);
        if (type.isInteger()) {
            return new Int(new BigInteger(text), c.isUnsigned());
        }
        if (type.isDecimal()) {
            return new Dec(new BigDecimal(text), c.decimals());
        }
        if (type == MySQLType.FLOAT) {
            // MySQL computes with the float's own value (1.1f is 1.100000023841858), not the digits it prints.
            return new Dbl(Float.parseFloat(text), c.decimals());
        }
        if (type.isFloatingPoint()) {
            return new Dbl(Double.parseDouble(text), c.decimals());
        }
        return new Text(bytes, ValueOrder.of(c), true);
    }

    private static SqlValue literal(Object value) {
        return switch (value) {
            case null -> SqlValue.NULL;
            case Long l -> new Int(BigInteger.valueOf(l), false);
            case Integer i -> new Int(BigInteger.valueOf(i), false);
            case Short s -> new Int(BigInteger.valueOf(s), false);
            case Byte b -> new Int(BigInteger.valueOf(b), false);
            case BigInteger b -> new Int(b, b.signum() > 0 && b.bitLength() > 63);
            case BigDecimal d -> new Dec(d, Math.max(0, d.scale()));
            case Double d -> new Dbl(d, SqlValue.NOT_FIXED_DECIMALS);
            case Float f -> new Dbl(f, SqlValue.NOT_FIXED_DECIMALS);
            case Boolean b -> new Int(b ? BigInteger.ONE : BigInteger.ZERO, false);
            case byte[] bytes -> new Text(bytes, Arrays::compareUnsigned, false);
            default -> new Text(value.toString().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned, false);
        };
    }

    private SqlValue comparison(ComparisonOperator c, RowCursor row, IntPredicate accept) {
        return logic(compare(evaluate(c.getLeftExpression(), row), evaluate(c.getRightExpression(), row), accept));
    }

    private static Boolean compare(SqlValue a, SqlValue b, IntPredicate accept) {
        if (a instanceof Null || b instanceof Null) {
            return null;
        }
        if (a instanceof Text ta && b instanceof Text tb) {
            Comparator<byte[]> order = ta.fromColumn() ? ta.order() : tb.order();
            return accept.test(order.compare(ta.bytes(), tb.bytes()));
        }
        BigDecimal x = exact(a);
        BigDecimal y = exact(b);
        if (x != null && y != null) {
            return accept.test(x.compareTo(y));
        }
        return accept.test(Double.compare(MySQLArithmetic.toDouble(a), MySQLArithmetic.toDouble(b)));
    }

    private static BigDecimal exact(SqlValue v) {
        return switch (v) {
            case Int i -> new BigDecimal(i.value());
            case Dec d -> d.value();
            default -> null;
        };
    }

    /** A value's truth: NULL is unknown, numbers are true unless 0, strings by their leading number. */
    private static Boolean truth(SqlValue v) {
        if (v instanceof Null) {
            return null;
        }
        BigDecimal exact = exact(v);
        return exact != null ? exact.signum() != 0 : MySQLArithmetic.toDouble(v) != 0;
    }

    private static SqlValue logic(Boolean b) {
        return b == null ? SqlValue.NULL : new Int(b ? BigInteger.ONE : BigInteger.ZERO, false);
    }

    private static Boolean and(Boolean a, Boolean b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
            return false;
        }
        return a == null || b == null ? null : true;
    }

    private static Boolean or(Boolean a, Boolean b) {
        if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
            return true;
        }
        return a == null || b == null ? null : false;
    }
}
