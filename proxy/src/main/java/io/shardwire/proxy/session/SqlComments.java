package io.shardwire.proxy.session;

/**
 * A statement's text as MariaDB reads it past its comments, for the recognisers of the statements the proxy answers
 * itself: a comment ({@code /* *}{@code /}, {@code -- }, {@code #}) is a blank, so that a client's comment between
 * keywords does not hide the statement; the content of an executable comment ({@code /*!}, {@code /*M!}, with or
 * without a version) is code, as the server runs it for any version up to its own. Quoted strings and identifiers
 * are kept as they are, comment marks inside them included.
 */
final class SqlComments {

    private SqlComments() {
    }

    /** {@code sql} with each comment a blank and each executable comment's content in its place. */
    static String asCode(String sql) {
        int n = sql.length();
        StringBuilder code = new StringBuilder(n);
        boolean inExecutable = false;
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = quotedEnd(sql, i);
                code.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int content = executableContent(sql, i + 2);
                if (content >= 0 && !inExecutable) {
                    inExecutable = true;
                    code.append(' ');
                    i = content;
                } else {
                    int end = sql.indexOf("*/", i + 2);
                    code.append(' ');
                    i = end < 0 ? n : end + 2;
                }
            } else if (inExecutable && c == '*' && i + 1 < n && sql.charAt(i + 1) == '/') {
                inExecutable = false;
                code.append(' ');
                i += 2;
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

    /** Where the code of an executable comment starts ({@code at} is just past the slash and star), or -1. */
    static int executableContent(String sql, int at) {
        int i = sql.startsWith("!", at) ? at + 1 : sql.startsWith("M!", at) ? at + 2 : -1;
        if (i < 0) {
            return -1;
        }
        int digits = 0;
        while (i + digits < sql.length() && digits < 6 && Character.isDigit(sql.charAt(i + digits))) {
            digits++;
        }
        // A version has five or six digits; fewer are code.
        return digits >= 5 ? i + digits : i;
    }

    /** The index just past the quoted string or identifier that starts at {@code start} (its end if unclosed). */
    static int quotedEnd(String sql, int start) {
        char quote = sql.charAt(start);
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        return sql.length();
    }
}
