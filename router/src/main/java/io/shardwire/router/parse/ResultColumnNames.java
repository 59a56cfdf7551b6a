package io.shardwire.router.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.parser.Node;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;

/**
 * Keeps the names MariaDB gives a query's result columns. A data node gets the statement as JSqlParser writes it back,
 * which spaces and cases expressions its own way ({@code id+1} becomes {@code id + 1}, {@code COUNT( * )}
 * {@code COUNT(*)}), and MariaDB names an unaliased expression's column by its text: the node would name it after the
 * rewrite, and an application reading columns by name would miss it. So such an item gets an alias with its text as
 * the client wrote it, which MariaDB's name is (to its last token, comments inside kept, at most
 * {@value #MAX_NAME_BYTES} bytes), unless the node's text would name it the same. Items MariaDB names by their value
 * or column name (a column, a string or number literal, NULL, TRUE, also in parentheses) are left alone: the node
 * names them the same from the rewritten text.
 */
public final class ResultColumnNames {

    /** MariaDB cuts a column name to this many UTF-8 bytes, on a character boundary. */
    static final int MAX_NAME_BYTES = 255;

    private ResultColumnNames() {
    }

    /**
     * Aliases the unaliased expressions of {@code statement}'s result columns (its select list; a set operation's
     * first) with their text in {@code sql}, the statement it was parsed from.
     */
    public static void alias(Statement statement, String sql) {
        List<SelectItem<?>> items = resultItems(statement);
        if (items.isEmpty()) {
            return;
        }
        int[] lineStarts = lineStarts(sql);
        for (int i = 0; i < items.size(); i++) {
            SelectItem<?> item = items.get(i);
            if (item.getAlias() == null && !namedByValue(item.getExpression())) {
                String text = text(items, i, sql, lineStarts);
                if (text != null && !writtenBackAsIs(text, item.getExpression())) {
                    item.setAlias(quoted(text));
                }
            }
        }
    }

    /**
     * The alias naming item {@code index} of {@code select} as MariaDB names its column, whatever its expression: its
     * own alias, else its text in {@code sql} (JSqlParser's writing of it when the parser kept no position).
     */
    public static Alias nameOf(PlainSelect select, int index, String sql) {
        SelectItem<?> item = select.getSelectItems().get(index);
        if (item.getAlias() != null) {
            return item.getAlias();
        }
        String text = text(select.getSelectItems(), index, sql, lineStarts(sql));
        return quoted(text != null ? text : item.getExpression().toString());
    }

    private static List<SelectItem<?>> resultItems(Statement statement) {
        return switch (statement) {
            case PlainSelect plain -> plain.getSelectItems() == null ? List.of() : plain.getSelectItems();
            case ParenthesedSelect parenthesed -> resultItems(parenthesed.getSelect());
            case SetOperationList operations -> resultItems(operations.getSelects().getFirst());
            default -> List.of();
        };
    }

    /** Whether MariaDB names the column by the expression's value or column name rather than by its text. */
    private static boolean namedByValue(Expression expression) {
        return switch (expression) {
            case Column column -> true;
            case AllColumns all -> true;
            // A bit or hex string (b'1', x'41') is named as written; a character string by its value.
            case StringValue string -> string.getPrefix() == null
                    || !(string.getPrefix().equalsIgnoreCase("B") || string.getPrefix().equalsIgnoreCase("X"));
            case LongValue number -> true;
            case DoubleValue number -> true;
            case NullValue nothing -> true;
            case BooleanValue truth -> true;
            case SignedExpression signed when signed.getSign() == '+' -> namedByValue(signed.getExpression());
            case ParenthesedExpressionList<?> list when list.size() == 1 -> namedByValue(list.getFirst());
            default -> false;
        };
    }

    /**
     * Whether a node names the expression {@code text} itself: JSqlParser writes it back the same, and it holds no
     * qualifier or subquery whose table names the node's statement could spell physically.
     */
    private static boolean writtenBackAsIs(String text, Expression expression) {
        return text.equals(expression.toString()) && text.indexOf('.') < 0
                && !text.toUpperCase(Locale.ROOT).contains("SELECT");
    }

    /**
     * The text of item {@code index} in {@code sql}, cut as MariaDB cuts names; null if unknown. MariaDB's name ends
     * with the item's last token; it starts at its first token for the first item, but right after the comma for the
     * others, so that a comment between the comma and the item is part of the name.
     */
    private static String text(List<SelectItem<?>> items, int index, String sql, int[] lineStarts) {
        Node node = items.get(index).getASTNode();
        if (node == null || node.jjtGetFirstToken() == null || node.jjtGetLastToken() == null) {
            return null;
        }
        int begin = offset(lineStarts, node.jjtGetFirstToken().beginLine, node.jjtGetFirstToken().beginColumn);
        Node previous = index == 0 ? null : items.get(index - 1).getASTNode();
        Token comma = previous == null || previous.jjtGetLastToken() == null ? null : previous.jjtGetLastToken().next;
        if (comma != null && ",".equals(comma.image)) {
            begin = offset(lineStarts, comma.endLine, comma.endColumn) + 1;
            while (begin < sql.length() && sql.charAt(begin) <= ' ') {
                begin++;
            }
        }
        int end = offset(lineStarts, node.jjtGetLastToken().endLine, node.jjtGetLastToken().endColumn) + 1;
        if (begin < 0 || end > sql.length() || begin >= end) {
            return null;
        }
        return cut(sql.substring(begin, end));
    }

    /** The offset of a parser position (1-based line and column, a tab one column), or -1 past the text. */
    private static int offset(int[] lineStarts, int line, int column) {
        return line < 1 || line > lineStarts.length ? -1 : lineStarts[line - 1] + column - 1;
    }

    /** Where each line starts, as the parser counts lines: {@code \n}, {@code \r\n} and a lone {@code \r} end one. */
    private static int[] lineStarts(String sql) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 == sql.length() || sql.charAt(i + 1) != '\n'))) {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String cut(String text) {
        if (text.length() * 3 <= MAX_NAME_BYTES) {
            return text;
        }
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            bytes += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes > MAX_NAME_BYTES) {
                return text.substring(0, i);
            }
            i += Character.charCount(codePoint);
        }
        return text;
    }

    private static Alias quoted(String name) {
        return new Alias("`" + name.replace("`", "``") + "`", true);
    }
}
