package io.shardwire.router.rule;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Shard key values in the forms the algorithms need. A value is what the router reads from a SQL
 * literal or what the caller binds to a {@code ?}: null, {@code Long}, {@code Integer},
 * {@code Short}, {@code Byte}, {@code BigInteger}, {@code BigDecimal}, {@code Double},
 * {@code Float}, {@code Boolean}, {@code String}, {@code byte[]}, {@code LocalDate},
 * {@code LocalDateTime} or {@code LocalTime}.
 *
 * <p>The router does not know the key column's type, so the canonical form is chosen such that
 * values MySQL considers equal for any plausible column type get the same bytes. Folding more than
 * the column's collation does only puts more values in one bucket, which is harmless; folding less
 * would lose rows. Hence:
 * <ul>
 *   <li>numbers (and strings that are entirely a number, as MySQL compares them with a numeric
 *       column) become their exact decimal value without trailing fractional zeros: {@code 42},
 *       {@code '42'}, {@code 42.00} and {@code '4.2e1'} are all {@code "42"};</li>
 *   <li>dates and times (and strings that are one) become ISO text without a midnight time or
 *       trailing fractional zeros: {@code DATE '2024-01-05'} and {@code '2024-01-05 00:00:00'} agree;</li>
 *   <li>other strings are folded like the case- and accent-insensitive collations fold them:
 *       decomposed, accents removed, case folded and trailing spaces cut (MySQL's PAD SPACE);</li>
 *   <li>{@code byte[]} (a binary value) is taken as it is.</li>
 * </ul>
 * Not emulated: MySQL's conversion of text that is not a number (or only starts with one) to a
 * number when compared with a numeric column ({@code 'abc' = 0}); such comparisons route by the text.
 */
public final class CanonicalKey {

    // MySQL's number syntax: optional sign, digits with an optional fraction, an optional exponent.
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?");
    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
    private static final DateTimeFormatter DATE_TIME_TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private CanonicalKey() {
    }

    /** The bytes a hash is computed over; see the class comment. {@code null} is the empty array. */
    public static byte[] bytes(Object value) {
        if (value == null) {
            return new byte[0];
        }
        if (value instanceof byte[] binary) {
            return binary.clone();
        }
        return text(value).getBytes(StandardCharsets.UTF_8);
    }

    /** The canonical text of a non-binary value. */
    static String text(Object value) {
        Optional<BigDecimal> number = number(value);
        if (number.isPresent()) {
            return plain(number.get());
        }
        Optional<LocalDateTime> dateTime = dateTime(value);
        if (dateTime.isPresent()) {
            return dateTimeText(dateTime.get());
        }
        if (value instanceof LocalTime time) {
            return time.toString();
        }
        return foldString(value.toString());
    }

    /** The exact numeric value of a number, boolean or numeric string. */
    public static Optional<BigDecimal> number(Object value) {
        return switch (value) {
            case Long l -> Optional.of(BigDecimal.valueOf(l));
            case Integer i -> Optional.of(BigDecimal.valueOf(i));
            case Short s -> Optional.of(BigDecimal.valueOf(s));
            case Byte b -> Optional.of(BigDecimal.valueOf(b));
            case BigInteger b -> Optional.of(new BigDecimal(b));
            case BigDecimal d -> Optional.of(d);
            case Double d when Double.isFinite(d) -> Optional.of(BigDecimal.valueOf(d));
            case Float f when Float.isFinite(f) -> Optional.of(new BigDecimal(f.toString()));
            case Boolean b -> Optional.of(b ? BigDecimal.ONE : BigDecimal.ZERO);
            case String s -> numericString(s);
            case null, default -> Optional.empty();
        };
    }

    /** The value as an exact integer: an integral number or numeric string ({@code 2.0} counts, {@code 2.5} does not). */
    public static Optional<BigInteger> integer(Object value) {
        return number(value).flatMap(n -> {
            try {
                return Optional.of(n.toBigIntegerExact());
            } catch (ArithmeticException e) {
                return Optional.empty();
            }
        });
    }

    /** The value as a date-time: a {@code LocalDate} (at midnight), a {@code LocalDateTime} or such a string. */
    public static Optional<LocalDateTime> dateTime(Object value) {
        return switch (value) {
            case LocalDate d -> Optional.of(d.atStartOfDay());
            case LocalDateTime dt -> Optional.of(dt);
            case String s -> dateTimeString(s.strip());
            case null, default -> Optional.empty();
        };
    }

    private static Optional<BigDecimal> numericString(String s) {
        // MySQL skips leading spaces when it converts a string to a number; trailing spaces too, with a warning.
        String trimmed = s.strip();
        if (!NUMBER.matcher(trimmed).matches()) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal(trimmed.startsWith("+") ? trimmed.substring(1) : trimmed));
    }

    private static Optional<LocalDateTime> dateTimeString(String s) {
        try {
            if (DATE.matcher(s).matches()) {
                return Optional.of(LocalDate.parse(s).atStartOfDay());
            }
            if (DATE_TIME.matcher(s).matches()) {
                return Optional.of(LocalDateTime.parse(s.replace(' ', 'T')));
            }
        } catch (DateTimeParseException e) {
            // 2024-02-30 and the like: not a date MySQL could store, so not one we route by.
        }
        return Optional.empty();
    }

    private static String plain(BigDecimal number) {
        BigDecimal stripped = number.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0).toPlainString() : stripped.toPlainString();
    }

    private static String dateTimeText(LocalDateTime dateTime) {
        if (dateTime.toLocalTime().equals(LocalTime.MIDNIGHT)) {
            return dateTime.toLocalDate().toString();
        }
        String text = dateTime.format(DATE_TIME_TEXT);
        int nanos = dateTime.getNano();
        if (nanos == 0) {
            return text;
        }
        String fraction = String.format(Locale.ROOT, "%09d", nanos).replaceAll("0+$", "");
        return text + "." + fraction;
    }

    private static String foldString(String s) {
        String decomposed = Normalizer.normalize(s, Normalizer.Form.NFD);
        String folded = COMBINING_MARKS.matcher(decomposed).replaceAll("").toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        return folded.stripTrailing();
    }
}
