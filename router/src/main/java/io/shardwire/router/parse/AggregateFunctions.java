package io.shardwire.router.parse;

import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.MySQLGroupConcat;
import net.sf.jsqlparser.expression.JsonAggregateFunction;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;

/** MySQL's aggregate functions, and whether an expression of one query block uses any. */
public final class AggregateFunctions {

    private static final Set<String> NAMES = Set.of("COUNT", "SUM", "AVG", "MIN", "MAX", "GROUP_CONCAT",
            "STD", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VARIANCE", "VAR_POP", "VAR_SAMP",
            "BIT_AND", "BIT_OR", "BIT_XOR", "JSON_ARRAYAGG", "JSON_OBJECTAGG");

    private AggregateFunctions() {
    }

    /** Whether the function is an aggregate (used without OVER, which JSqlParser parses separately). */
    public static boolean isAggregate(Function function) {
        return function.getName() != null && NAMES.contains(function.getName().toUpperCase(Locale.ROOT));
    }

    /** Whether the expression calls an aggregate or window function outside any subquery it contains. */
    public static boolean containsAggregate(Expression expression) {
        if (expression == null) {
            return false;
        }
        boolean[] found = {false};
        expression.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(Function function, S context) {
                if (isAggregate(function)) {
                    found[0] = true;
                    return null;
                }
                return super.visit(function, context);
            }

            @Override
            public <S> Void visit(AnalyticExpression expression, S context) {
                found[0] = true;
                return null;
            }

            @Override
            public <S> Void visit(MySQLGroupConcat groupConcat, S context) {
                found[0] = true;
                return null;
            }

            @Override
            public <S> Void visit(JsonAggregateFunction jsonAggregate, S context) {
                // JSON_ARRAYAGG and JSON_OBJECTAGG, which JSqlParser reads apart from other functions.
                found[0] = true;
                return null;
            }

            @Override
            public <S> Void visit(ParenthesedSelect subquery, S context) {
                // An aggregate inside a subquery belongs to the subquery's block.
                return null;
            }
        }, null);
        return found[0];
    }
}
