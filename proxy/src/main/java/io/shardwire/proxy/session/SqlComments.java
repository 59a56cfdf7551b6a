package io.shardwire.proxy.session;

/**
 * A statement's text as MariaDB reads it past its comments, for the recognisers of the statements the proxy answers
 * itself: a comment ({@code /* *}{@code /}, {@code -- }, {@code #}) is a blank, so that a client's comment between
 * keywords does not hide the statement; the content of an executable comment ({@code /*!}, {@code /*M!}, with or
 * without a version) is code where the server runs it ({@link #SERVER_VERSION}). Quoted strings and identifiers
 * are kept as they are, comment marks inside them included.
 */
final class SqlComments {

    private SqlComments() {
    }

    /** {@code sql} with each comment a blank and each executable comment's content in its place. */
    static String asCode(String sql) {
        return read(sql, false);
    }

    /**
     * The version MariaDB compares an executable comment's with: the backends' (11.4.5). A comment for a later version,
     * or for MySQL 5.7 and later ({@code /*!50700} to {@code /*!99999}, which MariaDB skips), stays a comment.
     */
    static final int SERVER_VERSION = 110405;

    /**
     * {@code sql} with each executable comment that MariaDB runs opened: its marks blanked, its content left in place as
     * code ({@code /*!40101 SET NAMES utf8mb4 *}{@code /} is {@code SET NAMES utf8mb4}), so that the proxy reads what
     * the server would run. Other comments, strings and identifiers are kept as they are. Returns {@code sql} itself
     * when it has none.
     */
    static String openExecutable(String sql) {
        return sql.contains("/*!") || sql.contains("/*M!") ? read(sql, true) : sql;
    }

    /**
     * The one scan behind {@link #asCode} and {@link #openExecutable}: executable comments the server runs opened,
     * other comments blanked, or kept as written when {@code keepComments}.
     */
    private static String read(String sql, boolean keepComments) {
        int n = sql.length();
        StringBuilder out = new StringBuilder(n);
        boolean inExecutable = false;
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = quotedEnd(sql, i);
                out.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int content = inExecutable ? -1 : executableContent(sql, i + 2);
                if (content >= 0 && runs(sql, i + 2, content)) {
                    inExecutable = true;
                    out.append(' ');
                    i = content;
                } else {
                    int end = sql.indexOf("*/", i + 2);
                    i = comment(sql, i, end < 0 ? n : end + 2, keepComments, out);
                }
            } else if (inExecutable && c == '*' && i + 1 < n && sql.charAt(i + 1) == '/') {
                inExecutable = false;
                out.append(' ');
                i += 2;
            } else if (c == '#' || (c == '-' && i + 2 < n && sql.charAt(i + 1) == '-'
                    && Character.isWhitespace(sql.charAt(i + 2)))) {
                int end = sql.indexOf('\n', i);
                i = comment(sql, i, end < 0 ? n : end + 1, keepComments, out);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Appends the comment from {@code start} to {@code stop} as written or as one blank; returns {@code stop}. */
    private static int comment(String sql, int start, int stop, boolean keep, StringBuilder out) {
        if (keep) {
            out.append(sql, start, stop);
        } else {
            out.append(' ');
        }
        return stop;
    }

    /** Whether MariaDB runs the executable comment whose mark ({@code !} or {@code M!}) starts at {@code at}. */
    static boolean runs(String sql, int at, int content) {
        int digitsStart = sql.charAt(at) == 'M' ? at + 2 : at + 1;
        int digits = content - digitsStart;
        if (digits == 0) {
            return true;
        }
        int version = Integer.parseInt(sql, digitsStart, content, 10);
        return version <= SERVER_VERSION && !(digits == 5 && version >= 50700);
    }

    /**
     * {@code code} (a statement's {@link #asCode}) with the content of each quoted string emptied, so that a word
     * inside a string cannot read as a keyword; quoted identifiers stay.
     */
    static String withoutStrings(String code) {
        StringBuilder out = new StringBuilder(code.length());
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = quotedEnd(code, i);
                if (c == '`') {
                    out.append(code, i, end);
                } else {
                    out.append(c).append(c);
                }
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
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
