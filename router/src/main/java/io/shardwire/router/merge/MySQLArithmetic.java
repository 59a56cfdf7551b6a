package io.shardwire.router.merge;

import io.shardwire.router.merge.SqlValue.Dbl;
import io.shardwire.router.merge.SqlValue.Dec;
import io.shardwire.router.merge.SqlValue.Int;
import io.shardwire.router.merge.SqlValue.Null;
import io.shardwire.router.merge.SqlValue.Text;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MySQL's arithmetic ({@code + - * /}, unary minus, ROUND) on {@link SqlValue}s, as MariaDB's
 * {@code Item_func_plus/minus/mul/div/neg/round} compute it:
 * <ul>
 *   <li>NULL in, NULL out; division by zero is NULL;</li>
 *   <li>integers stay BIGINT for {@code + - *} (out of range is an error, as in MySQL), a DOUBLE
 *       operand (or a string, read as its leading number) makes a DOUBLE, otherwise DECIMAL;</li>
 *   <li>{@code /} of exact values is DECIMAL: {@code strings/decimal.c do_div_mod} truncates the
 *       quotient to whole 9-digit words of fraction, {@code ROUND_UP(frac1 + frac2 + incr)} of them,
 *       where frac1 and frac2 are the operands' fraction digits rounded up to whole words and incr
 *       is div_precision_increment (4) less the digits that rounding added; so {@code 2/3} holds
 *       0.666666666 and shows 0.6667;</li>
 *   <li>the type's decimals follow {@code result_precision()}: max for {@code + -}, the sum for
 *       {@code *}, the dividend's + 4 for {@code /}, each capped at 38.</li>
 * </ul>
 * Results MySQL would truncate silently (more than 81 digits, a fraction past 38 digits) are
 * refused with a {@link MergeException} rather than approximated.
 */
final class MySQLArithmetic {

    /** MariaDB's default div_precision_increment. */
    static final int DIV_PRECISION_INCREMENT = 4;
    private static final int DIGITS_PER_WORD = 9;
    private static final int MAX_WORDS = 9;
    private static final int DECIMAL_MAX_SCALE = 38;
    private static final BigInteger SIGNED_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger SIGNED_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger UNSIGNED_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final Pattern LEADING_NUMBER = Pattern.compile("^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private MySQLArithmetic() {
    }

    /**
     * {@code a op b} for op one of {@code + - * /}.
     *
     * @param context the expression, for error messages
     */
    static SqlValue binary(char op, SqlValue a, SqlValue b, String context) {
        if (a instanceof Null || b instanceof Null) {
            return SqlValue.NULL;
        }
        if (a instanceof Dbl || b instanceof Dbl || a instanceof Text || b instanceof Text) {
            return doubleOp(op, toDouble(a), toDouble(b), context);
        }
        if (a instanceof Int x && b instanceof Int y && op != '/') {
            BigInteger r = switch (op) {
                case '+' -> x.value().add(y.value());
                case '-' -> x.value().subtract(y.value());
                default -> x.value().multiply(y.value());
            };
            return integer(r, x.unsigned() || y.unsigned(), context);
        }
        Dec x = toDecimal(a);
        Dec y = toDecimal(b);
        return switch (op) {
            case '+' -> new Dec(x.value().add(y.value()), Math.max(x.decimals(), y.decimals()));
            case '-' -> new Dec(x.value().subtract(y.value()), Math.max(x.decimals(), y.decimals()));
            case '*' -> multiply(x, y, context);
            default -> divide(x, y, context);
        };
    }

    /** {@code -a}. */
    static SqlValue negate(SqlValue a, String context) {
        return switch (a) {
            case Null n -> a;
            case Int i -> integer(i.value().negate(), false, context);
            case Dec d -> new Dec(d.value().negate(), d.decimals());
            case Dbl d -> new Dbl(-d.value(), d.decimals());
            case Text t -> new Dbl(-toDouble(t), SqlValue.NOT_FIXED_DECIMALS);
        };
    }

    /** {@code ROUND(a, digits)} for {@code digits >= 0}: DECIMAL half away from zero, DOUBLE as {@code my_double_round}. */
    static SqlValue round(SqlValue a, int digits) {
        return switch (a) {
            case Null n -> a;
            case Int i -> i;
            case Dec d -> {
                int scale = Math.min(digits, d.decimals());
                yield new Dec(d.value().setScale(scale, RoundingMode.HALF_UP), scale);
            }
            case Dbl d -> new Dbl(roundDouble(d.value(), digits), Math.min(digits, d.decimals()));
            case Text t -> new Dbl(roundDouble(toDouble(t), digits), Math.min(digits, SqlValue.NOT_FIXED_DECIMALS));
        };
    }

    /** A value as MySQL converts it to a double: strings by their leading number, 0 if none. */
    static double toDouble(SqlValue v) {
        return switch (v) {
            case Int i -> i.value().doubleValue();
            case Dec d -> d.value().doubleValue();
            case Dbl d -> d.value();
            case Text t -> leadingNumber(new String(t.bytes(), StandardCharsets.UTF_8));
            case Null n -> 0;
        };
    }

    /**
     * MariaDB's decimal division of exact values ({@code do_div_mod}), with its truncation.
     * Zero divided by anything non-zero is a zero without fraction digits, as {@code decimal_make_zero} makes.
     */
    static SqlValue divide(Dec x, Dec y, String context) {
        if (y.value().signum() == 0) {
            return SqlValue.NULL;
        }
        int decimals = Math.min(x.decimals() + DIV_PRECISION_INCREMENT, DECIMAL_MAX_SCALE);
        if (x.value().signum() == 0) {
            return new Dec(BigDecimal.ZERO, decimals);
        }
        int frac1 = fractionDigits(x.value());
        int frac2 = fractionDigits(y.value());
        int frac1Words = wordsFor(frac1) * DIGITS_PER_WORD;
        int frac2Words = wordsFor(frac2) * DIGITS_PER_WORD;
        int increment = Math.max(0, DIV_PRECISION_INCREMENT - (frac1Words - frac1) - (frac2Words - frac2));
        int scale = wordsFor(frac1Words + frac2Words + increment) * DIGITS_PER_WORD;
        BigDecimal quotient = x.value().divide(y.value(), scale, RoundingMode.DOWN);
        checkWords(quotient, context);
        return new Dec(quotient.signum() == 0 ? BigDecimal.ZERO : quotient, decimals);
    }

    private static SqlValue multiply(Dec x, Dec y, String context) {
        BigDecimal product = x.value().multiply(y.value());
        if (product.scale() > DECIMAL_MAX_SCALE) {
            throw new MergeException("cannot reproduce MySQL's DECIMAL truncation of " + context
                    + " (a product with more than " + DECIMAL_MAX_SCALE + " fraction digits)");
        }
        checkWords(product, context);
        return new Dec(product, Math.min(x.decimals() + y.decimals(), DECIMAL_MAX_SCALE));
    }

    private static void checkWords(BigDecimal value, String context) {
        int fraction = Math.max(0, value.scale());
        int integer = Math.max(1, value.precision() - value.scale());
        if (wordsFor(integer) + wordsFor(fraction) > MAX_WORDS) {
            throw new MergeException("cannot reproduce MySQL's DECIMAL truncation of " + context
                    + " (more than " + MAX_WORDS * DIGITS_PER_WORD + " digits)");
        }
    }

    private static int fractionDigits(BigDecimal value) {
        return Math.max(0, value.scale());
    }

    private static int wordsFor(int digits) {
        return (digits + DIGITS_PER_WORD - 1) / DIGITS_PER_WORD;
    }

    private static SqlValue doubleOp(char op, double x, double y, String context) {
        if (op == '/' && y == 0) {
            return SqlValue.NULL;
        }
        double r = switch (op) {
            case '+' -> x + y;
            case '-' -> x - y;
            case '*' -> x * y;
            default -> x / y;
        };
        if (!Double.isFinite(r)) {
            throw new MergeException("DOUBLE value is out of range in '" + context + "'");
        }
        return new Dbl(r, SqlValue.NOT_FIXED_DECIMALS);
    }

    private static SqlValue integer(BigInteger value, boolean unsigned, String context) {
        boolean inRange = unsigned
                ? value.signum() >= 0 && value.compareTo(UNSIGNED_MAX) <= 0
                : value.compareTo(SIGNED_MIN) >= 0 && value.compareTo(SIGNED_MAX) <= 0;
        if (!inRange) {
            throw new MergeException("BIGINT" + (unsigned ? " UNSIGNED" : "") + " value is out of range in '" + context + "'");
        }
        return new Int(value, unsigned);
    }

    private static Dec toDecimal(SqlValue v) {
        return switch (v) {
            case Dec d -> d;
            case Int i -> new Dec(new BigDecimal(i.value()), 0);
            default -> throw new IllegalArgumentException("not an exact value: " + v);
        };
    }

    /** MariaDB's {@code my_double_round} for digits >= 0: rint (half to even) of the scaled value. */
    private static double roundDouble(double value, int digits) {
        double scale = Math.pow(10.0, digits);
        double scaled = value * scale;
        if (Double.isInfinite(scaled)) {
            return value;
        }
        return Math.rint(scaled) / scale;
    }

    private static double leadingNumber(String s) {
        Matcher m = LEADING_NUMBER.matcher(s);
        return m.find() ? Double.parseDouble(m.group().strip()) : 0;
    }
}
