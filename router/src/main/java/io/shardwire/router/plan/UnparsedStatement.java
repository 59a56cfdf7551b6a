package io.shardwire.router.plan;

import java.util.regex.Pattern;

/**
 * The words of a statement JSqlParser cannot read, for {@link QueryPlanner} to see which tables it names: its text with
 * string literals emptied and comments blanked (the proxy has opened executable comments before), identifiers kept.
 */
final class UnparsedStatement {

    /** A table name as SQL writes one: {@code name}, {@code `name`}, either qualified by a schema. */
    static final Pattern NAME = Pattern.compile(
            "(?:(`(?:[^`]|``)+`|[\\w$]+)\\s*\\.\\s*)?(`(?:[^`]|``)+`|[\\w$]+)");

    static final Pattern LOCK_TABLES = Pattern.compile("(?is)\\s*LOCK\\s+TABLES?\\b");

    private UnparsedStatement() {
    }

    /** {@code sql} with each string's content removed and each comment a blank; quoted identifiers kept. */
    static String code(String sql) {
        StringBuilder code = new StringBuilder(sql.length());
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = i + 1;
                while (end < n && sql.charAt(end) != c) {
                    end += sql.charAt(end) == '\\' ? 2 : 1;
                }
                code.append(' ');
                i = end + 1;
            } else if (c == '`') {
                int end = sql.indexOf('`', i + 1);
                end = end < 0 ? n : end + 1;
                code.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                code.append(' ');
                i = end < 0 ? n : end + 2;
            } else if (c == '#' || (c == '-' && i + 2 < n && sql.charAt(i + 1) == '-'
                    && Character.isWhitespace(sql.charAt(i + 2)))) {
                int end = sql.indexOf('\n', i);
                code.append(' ');
                i = end < 0 ? n : end + 1;
            } else {
                code.append(c);
                i++;
            }
        }
        return code.toString();
    }
}
