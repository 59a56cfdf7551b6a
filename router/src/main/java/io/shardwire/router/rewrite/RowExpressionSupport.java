package io.shardwire.router.rewrite;

import io.shardwire.router.parse.RoundFunction;
import io.shardwire.router.rewrite.MergeSpec.RowExpression;
import java.util.Optional;
import java.util.Set;
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
import net.sf.jsqlparser.expression.BinaryExpression;

/**
 * The expressions the merge can evaluate on merged rows (HAVING, and expressions over aggregates in
 * the select list and ORDER BY): AND, OR, NOT, comparisons, IS NULL, BETWEEN, IN lists, + - * /,
 * ROUND(x[, d]), literals, {@code ?} (in HAVING only), and the aggregates and columns it reads from
 * merged rows. Checked at plan time, so that anything else is refused before it runs.
 */
final class RowExpressionSupport {

    private static final Set<Class<?>> OPERATORS = Set.of(AndExpression.class, OrExpression.class, EqualsTo.class,
            NotEqualsTo.class, GreaterThan.class, GreaterThanEquals.class, MinorThan.class, MinorThanEquals.class,
            Addition.class, Subtraction.class, Multiplication.class, Division.class);
    private static final Set<Class<?>> LEAVES = Set.of(LongValue.class, DoubleValue.class, StringValue.class,
            NullValue.class);

    private RowExpressionSupport() {
    }

    /**
     * The first part of {@code e} the merge cannot evaluate, if any.
     *
     * @param row        its parts read from rows, and the select items its aliases stand for
     * @param parameters whether {@code ?} may occur (the aggregate operators get no bound values)
     */
    static Optional<Expression> unsupported(Expression e, RowExpression row, boolean parameters) {
        if (row.references().containsKey(e)) {
            return Optional.empty();
        }
        if (row.substitutes().containsKey(e)) {
            return unsupported(row.substitutes().get(e), row, parameters);
        }
        if (e instanceof JdbcParameter) {
            return parameters ? Optional.empty() : Optional.of(e);
        }
        if (LEAVES.contains(e.getClass())) {
            return Optional.empty();
        }
        if (e instanceof StringValue s && s.getPrefix() != null) {
            return Optional.of(e);
        }
        if (OPERATORS.contains(e.getClass())) {
            BinaryExpression b = (BinaryExpression) e;
            return unsupported(b.getLeftExpression(), row, parameters)
                    .or(() -> unsupported(b.getRightExpression(), row, parameters));
        }
        return switch (e) {
            case ParenthesedExpressionList<?> p when p.size() == 1 -> unsupported(p.getFirst(), row, parameters);
            case Function f when RoundFunction.isSupported(f) -> unsupported(RoundFunction.argument(f), row, parameters);
            case NotExpression not -> unsupported(not.getExpression(), row, parameters);
            case SignedExpression signed -> unsupported(signed.getExpression(), row, parameters);
            case IsNullExpression isNull -> unsupported(isNull.getLeftExpression(), row, parameters);
            case Between between -> unsupported(between.getLeftExpression(), row, parameters)
                    .or(() -> unsupported(between.getBetweenExpressionStart(), row, parameters))
                    .or(() -> unsupported(between.getBetweenExpressionEnd(), row, parameters));
            case InExpression in when in.getRightExpression() instanceof ExpressionList<?> list -> {
                Optional<Expression> left = unsupported(in.getLeftExpression(), row, parameters);
                if (left.isPresent()) {
                    yield left;
                }
                for (Expression item : list) {
                    Optional<Expression> bad = unsupported(item, row, parameters);
                    if (bad.isPresent()) {
                        yield bad;
                    }
                }
                yield Optional.empty();
            }
            default -> Optional.of(e);
        };
    }
}
