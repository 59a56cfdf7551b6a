package io.shardwire.router.merge;

import io.shardwire.router.rewrite.ColumnRef;
import io.shardwire.router.rewrite.MergeSpec.HavingSpec;
import io.shardwire.router.route.SqlLiterals;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
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
 * Evaluates HAVING on a merged row with MySQL's rules: three-valued logic; numbers compare as
 * numbers (exactly, unless a DOUBLE is involved), strings by the column's collation, a string
 * against a number as doubles; arithmetic on NULL or division by zero gives NULL. The supported
 * expressions are those the rewrite's HAVING check accepts at plan time, so others never get here.
 */
final class HavingEvaluator {

    /** A value during evaluation. */
    private sealed interface Value {
    }

    private record Null() implements Value {
    }

    private record Exact(BigDecimal value) implements Value {
    }

    private record Approximate(double value) implements Value {
    }

    /**
     * A string, with the order of the column it came from (binary for literals).
     *
     * @param bytes its UTF-8 bytes
     * @param order how it compares
     * @param fromColumn whether it came from a column, whose collation then wins over a literal's
     */
    private record Text(byte[] bytes, Comparator<byte[]> order, boolean fromColumn) implements Value {
    }

    private static final Value NULL = new Null();
    private static final Pattern LEADING_NUMBER = Pattern.compile("^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final Expression condition;
    private final Map<Expression, Integer> columns = new IdentityHashMap<>();
    private final List<ResultColumn> resultColumns;
    private final List<?> parameters;

    HavingEvaluator(HavingSpec having, List<ResultColumn> resultColumns, int derivedColumns, List<?> parameters) {
        this.condition = having.condition();
        this.resultColumns = resultColumns;
        this.parameters = parameters;
        for (Map.Entry<Expression, ColumnRef> entry : having.references().entrySet()) {
            columns.put(entry.getKey(), entry.getValue().resolve(resultColumns.size(), derivedColumns));
        }
    }

    /** Whether the row passes: the condition is TRUE (not FALSE, not NULL). */
    boolean test(RowCursor row) {
        Boolean result = truth(evaluate(condition, row));
        return Boolean.TRUE.equals(result);
    }

    private Value evaluate(Expression e, RowCursor row) {
        Integer column = columns.get(e);
        if (column != null) {
            return columnValue(column, row.value(column));
        }
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
                Value v = evaluate(between.getLeftExpression(), row);
                Boolean low = compare(v, evaluate(between.getBetweenExpressionStart(), row), r -> r >= 0);
                Boolean high = compare(v, evaluate(between.getBetweenExpressionEnd(), row), r -> r <= 0);
                Boolean in = and(low, high);
                yield logic(in == null ? null : in != between.isNot());
            }
            case InExpression in -> in(in, row);
            case Addition a -> arithmetic(evaluate(a.getLeftExpression(), row), evaluate(a.getRightExpression(), row), '+');
            case Subtraction s -> arithmetic(evaluate(s.getLeftExpression(), row), evaluate(s.getRightExpression(), row), '-');
            case Multiplication m -> arithmetic(evaluate(m.getLeftExpression(), row), evaluate(m.getRightExpression(), row), '*');
            case Division d -> arithmetic(evaluate(d.getLeftExpression(), row), evaluate(d.getRightExpression(), row), '/');
            case SignedExpression s -> s.getSign() == '-'
                    ? arithmetic(new Exact(BigDecimal.ZERO), evaluate(s.getExpression(), row), '-')
                    : evaluate(s.getExpression(), row);
            case LongValue l -> new Exact(new BigDecimal(l.getBigIntegerValue()));
            case DoubleValue d -> d.toString().toLowerCase(Locale.ROOT).contains("e")
                    ? new Approximate(d.getValue()) : new Exact(new BigDecimal(d.toString()));
            case StringValue s -> literal(SqlLiterals.valueOf(s).orElseThrow().resolve(List.of()));
            case NullValue n -> NULL;
            case JdbcParameter p -> literal(parameters.get(p.getIndex() - 1));
            default -> throw new MergeException("HAVING expression " + e + " cannot be evaluated after the merge");
        };
    }

    private Value in(InExpression in, RowCursor row) {
        Value left = evaluate(in.getLeftExpression(), row);
        if (!(in.getRightExpression() instanceof ExpressionList<?> list)) {
            throw new MergeException("HAVING expression " + in + " cannot be evaluated after the merge");
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

    private Value columnValue(int column, byte[] bytes) {
        if (bytes == null) {
            return NULL;
        }
        ResultColumn c = resultColumns.get(column);
        MySQLType type = c.mysqlType();
        String text = ValueOrder.text(bytes);
        if (type.isInteger() || type.isDecimal()) {
            return new Exact(new BigDecimal(text));
        }
        if (type.isFloatingPoint()) {
            return new Approximate(Double.parseDouble(text));
        }
        return new Text(bytes, ValueOrder.of(c), true);
    }

    private static Value literal(Object value) {
        return switch (value) {
            case null -> NULL;
            case Long l -> new Exact(BigDecimal.valueOf(l));
            case Integer i -> new Exact(BigDecimal.valueOf(i));
            case Short s -> new Exact(BigDecimal.valueOf(s));
            case Byte b -> new Exact(BigDecimal.valueOf(b));
            case BigInteger b -> new Exact(new BigDecimal(b));
            case BigDecimal d -> new Exact(d);
            case Double d -> new Approximate(d);
            case Float f -> new Approximate(f);
            case Boolean b -> new Exact(b ? BigDecimal.ONE : BigDecimal.ZERO);
            case byte[] bytes -> new Text(bytes, Arrays::compareUnsigned, false);
            default -> new Text(value.toString().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned, false);
        };
    }

    private Value comparison(ComparisonOperator c, RowCursor row, IntPredicate accept) {
        return logic(compare(evaluate(c.getLeftExpression(), row), evaluate(c.getRightExpression(), row), accept));
    }

    private static Boolean compare(Value a, Value b, IntPredicate accept) {
        if (a instanceof Null || b instanceof Null) {
            return null;
        }
        if (a instanceof Text ta && b instanceof Text tb) {
            Comparator<byte[]> order = ta.fromColumn() ? ta.order() : tb.order();
            return accept.test(order.compare(ta.bytes(), tb.bytes()));
        }
        if (a instanceof Exact ea && b instanceof Exact eb) {
            return accept.test(ea.value().compareTo(eb.value()));
        }
        return accept.test(Double.compare(toDouble(a), toDouble(b)));
    }

    private static Value arithmetic(Value a, Value b, char op) {
        if (a instanceof Null || b instanceof Null) {
            return NULL;
        }
        if (a instanceof Exact ea && b instanceof Exact eb) {
            BigDecimal x = ea.value();
            BigDecimal y = eb.value();
            return switch (op) {
                case '+' -> new Exact(x.add(y));
                case '-' -> new Exact(x.subtract(y));
                case '*' -> new Exact(x.multiply(y));
                default -> y.signum() == 0 ? NULL : new Exact(x.divide(y, x.scale() + 4, RoundingMode.HALF_UP));
            };
        }
        double x = toDouble(a);
        double y = toDouble(b);
        return switch (op) {
            case '+' -> new Approximate(x + y);
            case '-' -> new Approximate(x - y);
            case '*' -> new Approximate(x * y);
            default -> y == 0 ? NULL : new Approximate(x / y);
        };
    }

    /** A value as MySQL converts it to a double: strings by their leading number, 0 if none. */
    private static double toDouble(Value v) {
        return switch (v) {
            case Exact e -> e.value().doubleValue();
            case Approximate a -> a.value();
            case Text t -> leadingNumber(new String(t.bytes(), StandardCharsets.UTF_8));
            case Null n -> 0;
        };
    }

    private static double leadingNumber(String s) {
        Matcher m = LEADING_NUMBER.matcher(s);
        return m.find() ? Double.parseDouble(m.group().strip()) : 0;
    }

    /** A value's truth: NULL is unknown, numbers are true unless 0, strings by their leading number. */
    private static Boolean truth(Value v) {
        return v instanceof Null ? null : toDouble(v) != 0;
    }

    private static Value logic(Boolean b) {
        return b == null ? NULL : new Exact(b ? BigDecimal.ONE : BigDecimal.ZERO);
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
