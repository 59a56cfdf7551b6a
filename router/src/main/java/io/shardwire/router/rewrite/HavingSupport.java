package io.shardwire.router.rewrite;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * The HAVING expressions the merge can evaluate: AND, OR, NOT, comparisons, IS NULL, BETWEEN, IN
 * lists, + - * /, literals, {@code ?}, and the aggregates and columns it reads from merged rows.
 * Checked at plan time, so that anything else is refused before it runs.
 */
final class HavingSupport {

    private static final Set<Class<?>> OPERATORS = Set.of(AndExpression.class, OrExpression.class, EqualsTo.class,
            NotEqualsTo.class, GreaterThan.class, GreaterThanEquals.class, MinorThan.class, MinorThanEquals.class,
            Addition.class, Subtraction.class, Multiplication.class, Division.class);
    private static final Set<Class<?>> LEAVES = Set.of(LongValue.class, DoubleValue.class, StringValue.class,
            NullValue.class, JdbcParameter.class);

    private HavingSupport() {
    }

    /** The first part of {@code e} the merge cannot evaluate, if any; {@code references} are read from rows. */
    static Optional<Expression> unsupported(Expression e, Map<Expression, ColumnRef> references) {
        if (references.containsKey(e) || LEAVES.contains(e.getClass())) {
            return Optional.empty();
        }
        if (e instanceof StringValue s && s.getPrefix() != null) {
            return Optional.of(e);
        }
        if (OPERATORS.contains(e.getClass())) {
            BinaryExpression b = (BinaryExpression) e;
            return unsupported(b.getLeftExpression(), references).or(() -> unsupported(b.getRightExpression(), references));
        }
        return switch (e) {
            case ParenthesedExpressionList<?> p when p.size() == 1 -> unsupported(p.getFirst(), references);
            case NotExpression not -> unsupported(not.getExpression(), references);
            case SignedExpression signed -> unsupported(signed.getExpression(), references);
            case IsNullExpression isNull -> unsupported(isNull.getLeftExpression(), references);
            case Between between -> unsupported(between.getLeftExpression(), references)
                    .or(() -> unsupported(between.getBetweenExpressionStart(), references))
                    .or(() -> unsupported(between.getBetweenExpressionEnd(), references));
            case InExpression in when in.getRightExpression() instanceof ExpressionList<?> list -> {
                Optional<Expression> left = unsupported(in.getLeftExpression(), references);
                if (left.isPresent()) {
                    yield left;
                }
                for (Expression item : list) {
                    Optional<Expression> bad = unsupported(item, references);
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
