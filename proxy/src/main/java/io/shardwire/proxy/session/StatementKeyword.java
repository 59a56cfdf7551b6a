package io.shardwire.proxy.session;

import java.util.Locale;

/**
 * The first keyword of a text statement, after leading blanks and comments, as far as the session's
 * own statements care: it picks the one group of recognisers a statement may need
 * ({@link LocalStatements}), so that a routed statement passes one cheap scan instead of every
 * recogniser's parse.
 */
enum StatementKeyword {
    SELECT,
    WITH,
    SET,
    SHOW,
    KILL,
    /** DESCRIBE, DESC and EXPLAIN. */
    DESCRIBE,
    CREATE,
    /** BEGIN, START, COMMIT, ROLLBACK, SAVEPOINT, RELEASE and XA. */
    TRANSACTION,
    CALL,
    /** Any other statement, or none the scan could read. */
    OTHER;

    /** The keyword {@code sql} starts with; comments ({@code /* *}{@code /}, {@code -- }, {@code #}) are skipped. */
    static StatementKeyword of(String sql) {
        int n = sql.length();
        int i = skipBlanksAndComments(sql, 0, false);
        int start = i;
        while (i < n && isWordPart(sql.charAt(i))) {
            i++;
        }
        return switch (i - start) {
            case 2 -> is(sql, start, "XA") ? TRANSACTION : OTHER;
            case 3 -> is(sql, start, "SET") ? SET : OTHER;
            case 4 -> is(sql, start, "SHOW") ? SHOW
                    : is(sql, start, "KILL") ? KILL
                    : is(sql, start, "WITH") ? WITH
                    : is(sql, start, "DESC") ? DESCRIBE
                    : is(sql, start, "CALL") ? CALL : OTHER;
            case 5 -> is(sql, start, "BEGIN") || is(sql, start, "START") ? TRANSACTION : OTHER;
            case 6 -> is(sql, start, "SELECT") ? SELECT
                    : is(sql, start, "CREATE") ? CREATE
                    : is(sql, start, "COMMIT") ? TRANSACTION : OTHER;
            case 7 -> is(sql, start, "EXPLAIN") ? DESCRIBE
                    : is(sql, start, "RELEASE") ? TRANSACTION : OTHER;
            case 8 -> is(sql, start, "DESCRIBE") ? DESCRIBE
                    : is(sql, start, "ROLLBACK") ? TRANSACTION : OTHER;
            case 9 -> is(sql, start, "SAVEPOINT") ? TRANSACTION : OTHER;
            default -> OTHER;
        };
    }

    /** The first word of {@code sql} in upper case (past blanks and comments), or "" when it starts with none. */
    static String firstWord(String sql) {
        int n = sql.length();
        int start = skipBlanksAndComments(sql, 0, false);
        int i = start;
        while (i < n && isWordPart(sql.charAt(i))) {
            i++;
        }
        return sql.substring(start, i).toUpperCase(Locale.ROOT);
    }

    /**
     * The index of the first character at or after {@code i} that is neither a blank nor in a comment; with
     * {@code stopAtExecutable}, an executable comment ({@code /*!...}) counts as code.
     */
    static int skipBlanksAndComments(String sql, int i, boolean stopAtExecutable) {
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*'
                    && !(stopAtExecutable && SqlComments.executableContent(sql, i + 2) >= 0)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '#' || (c == '-' && i + 2 < n && sql.charAt(i + 1) == '-'
                    && Character.isWhitespace(sql.charAt(i + 2)))) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else {
                return i;
            }
        }
        return n;
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static boolean is(String sql, int start, String word) {
        return sql.regionMatches(true, start, word, 0, word.length());
    }
}
