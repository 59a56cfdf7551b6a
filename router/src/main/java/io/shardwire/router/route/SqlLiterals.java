package io.shardwire.router.route;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DateValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimeValue;
import net.sf.jsqlparser.expression.TimestampValue;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;

/**
 * Reads the constant expressions a shard key may be compared with or inserted as: literals,
 * signed numbers, {@code DATE '...'}-style literals, NULL and {@code ?}. Anything else (columns,
 * functions, hex literals, whose type depends on context) is not a constant to the router.
 */
public final class SqlLiterals {

    private SqlLiterals() {
    }

    /** The expression as a value source, or empty if it is not a constant the router understands. */
    public static Optional<ValueSource> valueOf(Expression expression) {
        return switch (expression) {
            case JdbcParameter p when p.getIndex() != null -> Optional.of(new ValueSource.Parameter(p.getIndex()));
            case ParenthesedExpressionList<?> list when list.size() == 1 -> valueOf(list.getFirst());
            case null -> Optional.empty();
            default -> constant(expression);
        };
    }

    private static Optional<ValueSource> constant(Expression expression) {
        return switch (expression) {
            case NullValue n -> Optional.of(new ValueSource.Literal(null));
            case LongValue l -> Optional.of(new ValueSource.Literal(integral(new BigDecimal(l.getBigIntegerValue()))));
            // The text, not the double: 0.1 must stay exactly 0.1, as MySQL reads it as a DECIMAL.
            case DoubleValue d -> Optional.of(new ValueSource.Literal(new BigDecimal(d.toString())));
            case StringValue s when s.getPrefix() == null -> Optional.of(new ValueSource.Literal(unescape(s.getValue())));
            case BooleanValue b -> Optional.of(new ValueSource.Literal(b.getValue() ? 1L : 0L));
            case SignedExpression signed -> signed(signed);
            case DateValue d -> Optional.of(new ValueSource.Literal(d.getValue().toLocalDate()));
            case TimestampValue t -> Optional.of(new ValueSource.Literal(t.getValue().toLocalDateTime()));
            case TimeValue t -> Optional.of(new ValueSource.Literal(t.getValue().toLocalTime()));
            case DateTimeLiteralExpression dt -> dateTimeLiteral(dt);
            default -> Optional.empty();
        };
    }

    private static Optional<ValueSource> signed(SignedExpression signed) {
        Optional<ValueSource> inner = constant(signed.getExpression());
        if (inner.isEmpty() || !(inner.get() instanceof ValueSource.Literal(Number n))) {
            return Optional.empty();
        }
        BigDecimal number = new BigDecimal(n.toString());
        return switch (signed.getSign()) {
            case '-' -> Optional.of(new ValueSource.Literal(integral(number.negate())));
            case '+' -> Optional.of(new ValueSource.Literal(integral(number)));
            default -> Optional.empty();
        };
    }

    private static Object integral(BigDecimal number) {
        if (number.scale() > 0) {
            return number;
        }
        BigInteger integer = number.toBigIntegerExact();
        return integer.bitLength() < 64 ? (Object) integer.longValueExact() : integer;
    }

    private static Optional<ValueSource> dateTimeLiteral(DateTimeLiteralExpression dt) {
        String text = dt.getValue();
        if (text.length() >= 2 && (text.startsWith("'") || text.startsWith("\""))) {
            text = text.substring(1, text.length() - 1);
        }
        try {
            Object value = switch (dt.getType().name().toUpperCase(Locale.ROOT)) {
                case "DATE" -> LocalDate.parse(text);
                case "TIME" -> LocalTime.parse(text);
                default -> LocalDateTime.parse(text.replace(' ', 'T'));
            };
            return Optional.of(new ValueSource.Literal(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The value of a MySQL string literal body: {@code ''} is a quote, and a backslash escapes the
     * next character ({@code \n}, {@code \t}, {@code \0}, {@code \Z} and so on) as MySQL does by default.
     */
    static String unescape(String body) {
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\'' && i + 1 < body.length() && body.charAt(i + 1) == '\'') {
                out.append('\'');
                i++;
            } else if (c == '\\' && i + 1 < body.length()) {
                char next = body.charAt(++i);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'b' -> '\b';
                    case '0' -> '\0';
                    case 'Z' -> '\u001a';
                    // MySQL keeps the backslash of \% and \_, so that LIKE patterns can use them.
                    case '%', '_' -> "\\" + next;
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
