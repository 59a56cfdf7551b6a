package io.shardwire.router.parse;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;

/**
 * {@code ROUND(x)} and {@code ROUND(x, d)} with {@code d} a non-negative integer literal: the forms
 * the merge evaluates after aggregating (a negative or computed {@code d} changes the result type
 * in ways it does not model).
 */
public final class RoundFunction {

    private RoundFunction() {
    }

    /** Whether {@code f} is ROUND in one of the supported forms. */
    public static boolean isSupported(Function f) {
        if (f.getName() == null || !f.getName().equalsIgnoreCase("ROUND") || f.getParameters() == null
                || f.isDistinct() || f.isAllColumns()) {
            return false;
        }
        int arguments = f.getParameters().size();
        return arguments == 1 || arguments == 2 && f.getParameters().get(1) instanceof LongValue d && d.getValue() >= 0
                && d.getValue() <= 30;
    }

    /** The rounded argument. */
    public static Expression argument(Function f) {
        return (Expression) f.getParameters().getFirst();
    }

    /** The digits to round to: {@code d}, or 0 when not given. */
    public static int digits(Function f) {
        return f.getParameters().size() == 1 ? 0 : (int) ((LongValue) f.getParameters().get(1)).getValue();
    }
}
