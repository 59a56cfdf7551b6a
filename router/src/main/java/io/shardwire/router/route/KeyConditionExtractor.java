package io.shardwire.router.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.NotExpression;
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
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;

/**
 * Reduces a WHERE (or inner-join ON) condition to a {@link KeyCondition} on one shard key:
 * {@code =}, {@code IN}, {@code BETWEEN}, {@code < <= > >=} and {@code IS NULL} on the key with a
 * constant or {@code ?}, combined with AND and OR. Whatever else appears (NOT, functions of the
 * key, comparisons with columns) says nothing and becomes {@link KeyCondition.Any}, which is
 * always safe: it only widens the route.
 */
final class KeyConditionExtractor {

    private final Predicate<Column> isKey;

    /** @param isKey whether a column, as written in the condition, is the shard key in question */
    KeyConditionExtractor(Predicate<Column> isKey) {
        this.isKey = isKey;
    }

    KeyCondition extract(Expression expression) {
        return switch (expression) {
            case AndExpression and -> KeyCondition.and(extract(and.getLeftExpression()), extract(and.getRightExpression()));
            case OrExpression or -> KeyCondition.or(extract(or.getLeftExpression()), extract(or.getRightExpression()));
            case ParenthesedExpressionList<?> parens when parens.size() == 1 -> extract(parens.getFirst());
            case EqualsTo equals -> comparison(equals, false, false);
            case GreaterThan greater -> comparison(greater, true, false);
            case GreaterThanEquals greater -> comparison(greater, true, false);
            case MinorThan minor -> comparison(minor, false, true);
            case MinorThanEquals minor -> comparison(minor, false, true);
            case InExpression in -> in(in);
            case Between between -> between(between);
            case IsNullExpression isNull when !isNull.isNot() && isKeyColumn(isNull.getLeftExpression()) ->
                    new KeyCondition.In(List.of(new ValueSource.Literal(null)));
            case NotExpression not -> new KeyCondition.Any();
            case null, default -> new KeyCondition.Any();
        };
    }

    /**
     * {@code key op value} or {@code value op key}. For {@code >} and {@code >=} ({@code lowerBound})
     * the value bounds the key from below when the key is on the left, from above when it is on the right.
     */
    private KeyCondition comparison(ComparisonOperator comparison, boolean lowerBound, boolean upperBound) {
        Expression left = comparison.getLeftExpression();
        Expression right = comparison.getRightExpression();
        boolean keyLeft = isKeyColumn(left);
        boolean keyRight = isKeyColumn(right);
        if (keyLeft == keyRight) {
            return new KeyCondition.Any();
        }
        Optional<ValueSource> value = SqlLiterals.valueOf(keyLeft ? right : left);
        if (value.isEmpty()) {
            return new KeyCondition.Any();
        }
        if (!lowerBound && !upperBound) {
            return new KeyCondition.In(List.of(value.get()));
        }
        // key > v and v < key both bound the key from below.
        boolean boundsFromBelow = lowerBound == keyLeft;
        return boundsFromBelow ? new KeyCondition.Between(value.get(), null) : new KeyCondition.Between(null, value.get());
    }

    private KeyCondition in(InExpression in) {
        if (in.isNot() || !isKeyColumn(in.getLeftExpression()) || !(in.getRightExpression() instanceof ExpressionList<?> list)) {
            return new KeyCondition.Any();
        }
        List<ValueSource> values = new ArrayList<>();
        for (Expression e : list) {
            Optional<ValueSource> value = SqlLiterals.valueOf(e);
            if (value.isEmpty()) {
                return new KeyCondition.Any();
            }
            values.add(value.get());
        }
        return new KeyCondition.In(values);
    }

    private KeyCondition between(Between between) {
        if (between.isNot() || !isKeyColumn(between.getLeftExpression())) {
            return new KeyCondition.Any();
        }
        Optional<ValueSource> low = SqlLiterals.valueOf(between.getBetweenExpressionStart());
        Optional<ValueSource> high = SqlLiterals.valueOf(between.getBetweenExpressionEnd());
        return low.isPresent() && high.isPresent() ? new KeyCondition.Between(low.get(), high.get()) : new KeyCondition.Any();
    }

    private boolean isKeyColumn(Expression expression) {
        if (expression instanceof ParenthesedExpressionList<?> parens && parens.size() == 1) {
            return isKeyColumn(parens.getFirst());
        }
        return expression instanceof Column column && isKey.test(column);
    }
}
