package io.shardwire.proxy.session;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.Select;

/**
 * The WHERE condition of a SHOW TABLES, read by JSqlParser, that the proxy runs on a backend over the schema's logical
 * names ({@link ShowTables#whereQuery}). The backend gets the condition as written back from its tree, never the
 * client's text (which could close the proxy's parenthesis and go on), and only a condition over the two columns
 * of SHOW TABLES' rows, built of literals, operators and string functions: a subquery, a qualified column or any
 * other function would read the backend's databases under their physical names, with the proxy's account. A string
 * with a backslash is refused too, as the backend may read it otherwise (NO_BACKSLASH_ESCAPES) than the parser did.
 */
final class ShowTablesWhere {

    private static final Set<String> FUNCTIONS = Set.of("LOWER", "UPPER", "LCASE", "UCASE", "LENGTH", "CHAR_LENGTH",
            "CHARACTER_LENGTH", "CONCAT", "SUBSTRING", "SUBSTR", "LEFT", "RIGHT", "TRIM", "LTRIM", "RTRIM", "REPLACE",
            "LOCATE", "INSTR", "REVERSE", "STRCMP", "IFNULL", "COALESCE");

    private final Expression condition;
    private final String refusal;

    private ShowTablesWhere(Expression condition, String refusal) {
        this.condition = condition;
        this.refusal = refusal;
    }

    /** Reads {@code where}, the text after SHOW TABLES' WHERE. */
    static ShowTablesWhere read(String where) {
        Expression condition;
        try {
            condition = CCJSqlParserUtil.parseCondExpression(where, false);
        } catch (JSQLParserException e) {
            return new ShowTablesWhere(null, "a condition the proxy cannot read (" + where.strip() + ")");
        }
        return new ShowTablesWhere(condition, unsupported(condition).map(ShowTablesWhere::describe).orElse(null));
    }

    /** What the condition holds that is not sent to a backend, named for the client's error, if anything. */
    Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** The condition as written back from its tree; only for a condition without {@link #refusal}. */
    String sql() {
        if (refusal != null) {
            throw new IllegalStateException("refused: " + refusal);
        }
        return condition.toString();
    }

    private static String describe(Expression e) {
        return switch (e) {
            case Function f -> "the function " + f.getName().toUpperCase(Locale.ROOT);
            case Column c -> "the qualified column " + c;
            case StringValue s when s.getValue().indexOf('\\') >= 0 -> "a backslash in the string " + s;
            case Select select -> "a subquery";
            default -> e.toString();
        };
    }

    /** The first part of {@code e} not sent to a backend, if any. */
    private static Optional<Expression> unsupported(Expression e) {
        return switch (e) {
            case null -> Optional.empty();
            case Column c -> c.getTable() == null || c.getTable().getName() == null ? Optional.empty() : Optional.of(e);
            case StringValue s -> s.getPrefix() == null && s.getValue().indexOf('\\') < 0 ? Optional.empty() : Optional.of(e);
            case LongValue v -> Optional.empty();
            case DoubleValue v -> Optional.empty();
            case NullValue v -> Optional.empty();
            case BooleanValue v -> Optional.empty();
            case LikeExpression like -> unsupported(like.getLeftExpression())
                    .or(() -> unsupported(like.getRightExpression()))
                    .or(() -> unsupported(like.getEscape()));
            case BinaryExpression b -> unsupported(b.getLeftExpression()).or(() -> unsupported(b.getRightExpression()));
            case NotExpression not -> unsupported(not.getExpression());
            case SignedExpression signed -> unsupported(signed.getExpression());
            case IsNullExpression isNull -> unsupported(isNull.getLeftExpression());
            case IsBooleanExpression isBoolean -> unsupported(isBoolean.getLeftExpression());
            case Between between -> unsupported(between.getLeftExpression())
                    .or(() -> unsupported(between.getBetweenExpressionStart()))
                    .or(() -> unsupported(between.getBetweenExpressionEnd()));
            case InExpression in -> unsupported(in.getLeftExpression()).or(() -> unsupported(in.getRightExpression()));
            case ExpressionList<?> list -> list.stream().map(ShowTablesWhere::unsupported)
                    .flatMap(Optional::stream).findFirst();
            case Function f when FUNCTIONS.contains(f.getName().toUpperCase(Locale.ROOT)) && f.getKeep() == null
                    && f.getNamedParameters() == null && f.getOrderByElements() == null && f.getAttribute() == null
                    && !f.isAllColumns() -> f.getParameters() == null ? Optional.empty() : unsupported(f.getParameters());
            default -> Optional.of(e);
        };
    }
}
