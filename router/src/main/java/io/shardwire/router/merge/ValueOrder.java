package io.shardwire.router.merge;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * How MySQL orders the values of a column, on their text-protocol bytes: numerically for numbers
 * (unsigned 64-bit integers included, DECIMAL exactly), chronologically for temporals, by
 * {@link Collations collation} for strings. SQL NULL sorts first, as MySQL sorts it ascending.
 * Values are decoded only to be compared; they are never re-encoded.
 */
public final class ValueOrder {

    private ValueOrder() {
    }

    /**
     * The order of a column's values, NULL (a null array) first.
     *
     * @throws MergeException for ENUM and SET columns, which MySQL orders by member number, unknown to the merge
     */
    public static Comparator<byte[]> of(ResultColumn column) {
        Comparator<byte[]> values = nonNull(column);
        return (a, b) -> {
            if (a == null || b == null) {
                return a == null ? (b == null ? 0 : -1) : 1;
            }
            return values.compare(a, b);
        };
    }

    private static Comparator<byte[]> nonNull(ResultColumn column) {
        if (ColumnFlag.ENUM.in(column.flags()) || ColumnFlag.SET.in(column.flags())) {
            throw new MergeException("column " + column.name() + " is an ENUM or SET, which MySQL orders by member number;"
                    + " ordering or grouping it across data nodes is not supported");
        }
        MySQLType type = column.mysqlType();
        if (type.isInteger()) {
            return column.isUnsigned()
                    ? (a, b) -> Long.compareUnsigned(Long.parseUnsignedLong(text(a)), Long.parseUnsignedLong(text(b)))
                    : Comparator.comparingLong(v -> Long.parseLong(text(v)));
        }
        if (type.isDecimal()) {
            return Comparator.comparing(v -> new BigDecimal(text(v)));
        }
        if (type.isFloatingPoint()) {
            return Comparator.comparingDouble(v -> Double.parseDouble(text(v)));
        }
        if (type.isTime()) {
            return Comparator.comparingLong(v -> timeMicros(text(v)));
        }
        return switch (type) {
            // Fixed-width text ('2024-01-05 10:00:00.123') sorts as it reads; BIT values are big-endian bytes.
            case DATE, NEWDATE, DATETIME, DATETIME2, TIMESTAMP, TIMESTAMP2, BIT, GEOMETRY, NULL -> Arrays::compareUnsigned;
            default -> Collations.comparator(column.collation());
        };
    }

    /** The text of a value: numbers and temporals are ASCII. */
    static String text(byte[] value) {
        return new String(value, StandardCharsets.US_ASCII);
    }

    /** A TIME ({@code -838:59:59.000000} .. {@code 838:59:59.000000}) in microseconds. */
    static long timeMicros(String time) {
        boolean negative = time.startsWith("-");
        String[] parts = (negative ? time.substring(1) : time).split(":");
        long hours = Long.parseLong(parts[0]);
        long minutes = Long.parseLong(parts[1]);
        String[] seconds = parts[2].split("\\.");
        long micros = Long.parseLong(seconds[0]) * 1_000_000;
        if (seconds.length > 1) {
            micros += Long.parseLong((seconds[1] + "000000").substring(0, 6));
        }
        long total = ((hours * 60 + minutes) * 60) * 1_000_000 + micros;
        return negative ? -total : total;
    }
}
