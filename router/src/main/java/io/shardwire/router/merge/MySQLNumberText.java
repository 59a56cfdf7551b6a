package io.shardwire.router.merge;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Numbers written as MariaDB writes them in the text protocol, for the values the merge computes.
 */
public final class MySQLNumberText {

    /** DBL_DIG: a double's exponent range printed without an exponent. */
    private static final int DBL_DIG = 15;

    private MySQLNumberText() {
    }

    /** A BIGINT (COUNT). */
    public static byte[] integer(long value) {
        return ascii(Long.toString(value));
    }

    /** A DECIMAL with {@code decimals} digits after the point, rounded half away from zero as MariaDB rounds. */
    public static byte[] decimal(BigDecimal value, int decimals) {
        return ascii(value.setScale(decimals, RoundingMode.HALF_UP).toPlainString());
    }

    /**
     * A DOUBLE whose column has no fixed decimals, as MariaDB's {@code my_gcvt} writes it for the text
     * protocol: the shortest digits that read back as the same double, in plain notation when the
     * decimal exponent is within DBL_DIG (0.000000000000001 .. 999999999999999, or more digits than
     * the exponent), else as {@code 1.2345678901234568e17} / {@code 1e-16}.
     */
    public static byte[] floating(double value) {
        if (value == 0) {
            return ascii(1 / value < 0 ? "-0" : "0");
        }
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
        if (shortest.precision() == 2) {
            // Java writes at least two digits where one would do (4.9E-324); dtoa takes the one digit if it reads back.
            BigDecimal one = shortest.round(new MathContext(1, RoundingMode.HALF_EVEN));
            if (one.doubleValue() == Math.abs(value)) {
                shortest = one.stripTrailingZeros();
            }
        }
        String digits = shortest.unscaledValue().toString();
        int len = digits.length();
        // The decimal point's position relative to the digits: value = 0.DIGITS x 10^decpt.
        int decpt = len - shortest.scale();
        StringBuilder out = new StringBuilder(value < 0 ? "-" : "");
        if (decpt >= -DBL_DIG + 1 && (decpt <= DBL_DIG || len > decpt)) {
            if (decpt <= 0) {
                out.append("0.").append("0".repeat(-decpt)).append(digits);
            } else if (decpt < len) {
                out.append(digits, 0, decpt).append('.').append(digits, decpt, len);
            } else {
                out.append(digits).append("0".repeat(decpt - len));
            }
        } else {
            out.append(digits.charAt(0));
            if (len > 1) {
                out.append('.').append(digits, 1, len);
            }
            out.append('e').append(decpt - 1);
        }
        return ascii(out.toString());
    }

    /**
     * A DOUBLE whose column has fixed decimals (ROUND(x, 2) of a DOUBLE), as {@code my_fcvt} writes
     * it: the binary value correctly rounded to that many digits, the sign kept even on a zero.
     */
    public static byte[] fixedFloating(double value, int decimals) {
        String digits = new BigDecimal(Math.abs(value)).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        boolean negative = value < 0 || (value == 0 && 1 / value < 0);
        return ascii(negative ? "-" + digits : digits);
    }

    /**
     * A value the merge computed, written as the column it fills: the nodes computed the same
     * expression, so the column's type is the type MySQL gives it.
     *
     * @throws MergeException if the value's type cannot be written as the column's
     */
    static byte[] of(SqlValue value, ResultColumn column, String context) {
        MySQLType type = column.mysqlType();
        return switch (value) {
            case SqlValue.Null n -> null;
            case SqlValue.Int i when type.isInteger() -> ascii(i.value().toString());
            case SqlValue.Int i when type.isDecimal() -> decimal(new BigDecimal(i.value()), column.decimals());
            case SqlValue.Dec d when type.isDecimal() -> decimal(d.value(), column.decimals());
            case SqlValue.Dec d when type.isInteger() && d.value().stripTrailingZeros().scale() <= 0 ->
                    ascii(d.value().toBigIntegerExact().toString());
            case SqlValue.Dbl d when type == MySQLType.DOUBLE -> column.decimals() >= SqlValue.NOT_FIXED_DECIMALS
                    ? floating(d.value()) : fixedFloating(d.value(), column.decimals());
            default -> throw new MergeException("cannot write the value of " + context + " (" + value.getClass().getSimpleName()
                    + ") as its column's type " + type + "; refused rather than approximated");
        };
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
