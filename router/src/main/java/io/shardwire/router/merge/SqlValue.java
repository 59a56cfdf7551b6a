package io.shardwire.router.merge;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Comparator;

/**
 * A value while the merge evaluates an expression on a merged row, typed as MySQL types it: an
 * integer, a DECIMAL (with the digits MySQL keeps, which can be more than its column shows), a
 * DOUBLE, a string, or NULL.
 */
sealed interface SqlValue {

    /** SQL NULL. */
    SqlValue NULL = new Null();

    /** NOT_FIXED_DEC: a DOUBLE whose decimals are not fixed. */
    int NOT_FIXED_DECIMALS = 31;

    /** SQL NULL. */
    record Null() implements SqlValue {
    }

    /**
     * A BIGINT-class integer.
     *
     * @param value    the value
     * @param unsigned whether MySQL treats it as unsigned (an UNSIGNED column, or arithmetic with one)
     */
    record Int(BigInteger value, boolean unsigned) implements SqlValue {
    }

    /**
     * A DECIMAL.
     *
     * @param value    the value with the fraction digits MySQL's decimal holds (its {@code frac}), e.g. 9 for 2/3
     * @param decimals the decimals of the expression's type (what a client is shown, and what ROUND caps at)
     */
    record Dec(BigDecimal value, int decimals) implements SqlValue {

        /** The same value with the type's decimals set. */
        Dec withDecimals(int typeDecimals) {
            return new Dec(value, typeDecimals);
        }
    }

    /**
     * A DOUBLE.
     *
     * @param value    the value
     * @param decimals the decimals of the expression's type ({@link #NOT_FIXED_DECIMALS} unless ROUND fixed them)
     */
    record Dbl(double value, int decimals) implements SqlValue {
    }

    /**
     * A string, with the order of the column it came from (binary for literals).
     *
     * @param bytes      its UTF-8 bytes
     * @param order      how it compares
     * @param fromColumn whether it came from a column, whose collation then wins over a literal's
     */
    record Text(byte[] bytes, Comparator<byte[]> order, boolean fromColumn) implements SqlValue {
    }
}
