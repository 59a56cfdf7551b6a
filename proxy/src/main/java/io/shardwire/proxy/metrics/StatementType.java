package io.shardwire.proxy.metrics;

/**
 * The kind of a statement, for metrics and the slow-query log, from its first keyword (comments skipped): cheap
 * enough to do for every statement, without parsing it.
 */
public enum StatementType {
    SELECT, INSERT, UPDATE, DELETE, DDL, OTHER;

    /** The kind of {@code sql}: SELECT (and WITH ..., TABLE, VALUES), INSERT (and REPLACE), UPDATE, DELETE, DDL. */
    public static StatementType of(String sql) {
        int start = skipSpaceAndComments(sql);
        int end = start;
        while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
            end++;
        }
        return switch (end - start) {
            case 4 -> keyword(sql, start, "WITH") ? SELECT : keyword(sql, start, "DROP") ? DDL : OTHER;
            case 5 -> keyword(sql, start, "ALTER") ? DDL : keyword(sql, start, "TABLE") ? SELECT : OTHER;
            case 6 -> keyword(sql, start, "SELECT") || keyword(sql, start, "VALUES") ? SELECT
                    : keyword(sql, start, "INSERT") ? INSERT
                    : keyword(sql, start, "UPDATE") ? UPDATE
                    : keyword(sql, start, "DELETE") ? DELETE
                    : keyword(sql, start, "CREATE") || keyword(sql, start, "RENAME") ? DDL : OTHER;
            case 7 -> keyword(sql, start, "REPLACE") ? INSERT : OTHER;
            case 8 -> keyword(sql, start, "TRUNCATE") ? DDL : OTHER;
            default -> OTHER;
        };
    }

    private static boolean keyword(String sql, int start, String word) {
        return sql.regionMatches(true, start, word, 0, word.length());
    }

    private static int skipSpaceAndComments(String sql) {
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("/*", i)) {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? sql.length() : close + 2;
            } else if (c == '#' || sql.startsWith("-- ", i)) {
                int newline = sql.indexOf('\n', i);
                i = newline < 0 ? sql.length() : newline + 1;
            } else {
                return i;
            }
        }
        return i;
    }
}
