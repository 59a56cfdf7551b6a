package io.shardwire.cdc.debezium;

import io.shardwire.cdc.event.LogicalTable;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a DDL statement read from a shard's binlog in logical names: every identifier naming the physical table
 * ({@code `shop_0`.`orders_1`}, {@code shop_0.orders_1}, or {@code orders_1} not qualified by another database)
 * becomes the logical table ({@code `shop`.`orders`}, {@code `orders`}). String literals and comments are left as
 * they are. An identifier that merely equals the physical table's name (a column so named) would be renamed too;
 * physical names ({@code orders_1}) make that unlikely.
 *
 * <p>Thread-safe: stateless.
 */
final class LogicalDdl {

    private LogicalDdl() {
    }

    /**
     * @param ddl      the statement as the binlog has it
     * @param database the physical database of the table
     * @param table    the physical table
     * @param logical  its logical table
     * @return the statement in logical names
     */
    static String of(String ddl, String database, String table, LogicalTable logical) {
        List<Token> tokens = tokens(ddl);
        StringBuilder out = new StringBuilder(ddl.length());
        int copied = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (!token.isIdentifier()) {
                continue;
            }
            boolean qualified = i > 0 && tokens.get(i - 1).isDot();
            if (!qualified && token.name.equals(database) && i + 2 < tokens.size() && tokens.get(i + 1).isDot()
                    && tokens.get(i + 2).isIdentifier() && tokens.get(i + 2).name.equals(table)) {
                out.append(ddl, copied, token.start).append(quote(logical.schema())).append('.')
                        .append(quote(logical.table()));
                copied = tokens.get(i + 2).end;
                i += 2;
            } else if (!qualified && token.name.equals(table)) {
                out.append(ddl, copied, token.start).append(quote(logical.table()));
                copied = token.end;
            }
        }
        return out.append(ddl, copied, ddl.length()).toString();
    }

    private static String quote(String name) {
        return '`' + name.replace("`", "``") + '`';
    }

    /** The identifiers and dots of a statement, skipping literals and comments; other characters are left out. */
    private static List<Token> tokens(String sql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfQuoted(sql, i, c);
                tokens.add(new Token(null, i, i));
            } else if (c == '`') {
                StringBuilder name = new StringBuilder();
                int j = i + 1;
                while (j < n) {
                    if (sql.charAt(j) == '`') {
                        if (j + 1 < n && sql.charAt(j + 1) == '`') {
                            name.append('`');
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    name.append(sql.charAt(j++));
                }
                int end = Math.min(n, j + 1);
                tokens.add(new Token(name.toString(), i, end));
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (c == '#' || (c == '-' && sql.startsWith("-- ", i))) {
                int newline = sql.indexOf('\n', i);
                i = newline < 0 ? n : newline + 1;
            } else if (c == '.') {
                tokens.add(new Token(".", i, i + 1));
                i++;
            } else if (isWordChar(c)) {
                int j = i;
                while (j < n && isWordChar(sql.charAt(j))) {
                    j++;
                }
                tokens.add(new Token(sql.substring(i, j), i, j));
                i = j;
            } else {
                if (!Character.isWhitespace(c)) {
                    tokens.add(new Token(null, i, i + 1));
                }
                i++;
            }
        }
        return tokens;
    }

    /** @return the index after the literal opened at {@code start}, whose escapes are doubled quotes or backslashes */
    private static int endOfQuoted(String sql, int start, char quote) {
        int j = start + 1;
        while (j < sql.length()) {
            char c = sql.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == quote) {
                if (j + 1 < sql.length() && sql.charAt(j + 1) == quote) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return sql.length();
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** An identifier (name set, dot excluded), a dot, or something else (name null). */
    private record Token(String name, int start, int end) {

        boolean isDot() {
            return ".".equals(name) && end - start == 1;
        }

        boolean isIdentifier() {
            return name != null && !isDot();
        }
    }
}
