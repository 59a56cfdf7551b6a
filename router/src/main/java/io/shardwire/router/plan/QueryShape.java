package io.shardwire.router.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A text-protocol statement with its plain literals in comparisons taken out: {@code WHERE id = 42} becomes
 * {@code WHERE id = ?} and the value 42, {@code WHERE email = 'a@b.c'} becomes {@code WHERE email = ?} and the string,
 * so statements that differ only in such values share one plan ({@link TextPlanCache}). Only literals whose meaning a
 * {@code ?} keeps are taken: unsigned decimal integers without leading zeros that fit a long, and single-quoted
 * strings (a {@code ?} bound to a string is the same string: the router reads both as one value, and the value is
 * written back as the literal it was), right after a comparison operator ({@code = < > <= >= <> != <=>}), as an
 * element of an {@code IN (...)} list, or as a bound of {@code BETWEEN ... AND ...}. Never one after {@code BY} (a
 * column position), {@code LIMIT}, in a select list or a function's arguments, after {@code ->} (a JSON path), with a
 * character set introducer or a type ({@code _utf8mb4'x'}, {@code DATE '...'}), in double quotes (an identifier
 * under ANSI_QUOTES), or in comments.
 *
 * <p>The lexer reads quotes as MySQL does in its default mode; a statement whose quoted text holds a backslash, or
 * that has a {@code ?}, an executable comment ({@code /*!}) or a taken string followed by another string (MySQL joins
 * adjacent strings), is given no shape: those lex differently under {@code NO_BACKSLASH_ESCAPES}, or are not plain
 * text statements.
 *
 * @param text   the statement with {@code ?} for each literal taken out
 * @param values the literals' values, in order: a {@link Long} or a {@link String}
 */
record QueryShape(String text, List<Object> values) {

    QueryShape {
        values = List.copyOf(values);
    }

    /** The token a taken string leaves behind, to see the string that may follow it. */
    private static final String TAKEN_STRING = "'?";
    /** Longest literal taken out: 18 digits always fit a long. */
    private static final int MAX_DIGITS = 18;

    /** The statement's shape; empty when it has none (see the class description). */
    static Optional<QueryShape> of(String sql) {
        StringBuilder text = null;
        List<Object> values = new ArrayList<>();
        int copied = 0;
        String previous = "";         // the previous token, upper case
        int depth = 0;
        int inListDepth = -1;         // the depth of the IN (...) list being read, or -1
        boolean inListOpening = false; // the previous token is IN: a "(" opens its list
        boolean betweenOpen = false;   // BETWEEN was read and its AND not yet
        boolean betweenAnd = false;    // the previous token is the AND of a BETWEEN
        int n = sql.length();
        for (int i = 0; i < n; ) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            boolean dashComment = c == '-' && sql.startsWith("--", i)
                    && (i + 2 >= n || Character.isWhitespace(sql.charAt(i + 2)));
            if (c == '#' || dashComment) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
                continue;
            }
            if (c == '/' && sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                if (sql.startsWith("/*!", i) || end < 0) {
                    return Optional.empty();
                }
                i = end + 2;
                continue;
            }
            if (c == '?') {
                return Optional.empty();
            }
            // Where a literal's meaning a ? keeps: after a comparison, in an IN list, a BETWEEN bound.
            boolean valuePlace = depth == inListDepth && (previous.equals("(") || previous.equals(","))
                    || isComparison(previous) || previous.equals("BETWEEN") || betweenAnd;
            int end;
            String token;
            Object value = null;
            if (c == '\'' || c == '"' || c == '`') {
                end = closingQuote(sql, i, c) + 1;
                if (end == 0 || previous.equals(TAKEN_STRING) && c != '`') {
                    return Optional.empty();
                }
                token = "'";
                if (c == '\'' && valuePlace) {
                    value = sql.substring(i + 1, end - 1).replace("''", "'");
                    token = TAKEN_STRING;
                }
            } else if (isWordChar(c)) {
                // A number runs on through its decimal point and exponent, so 1.5 or 1e3 is never taken as 1.
                boolean number = c >= '0' && c <= '9';
                end = i;
                while (end < n && (isWordChar(sql.charAt(end)) || number && sql.charAt(end) == '.')) {
                    end++;
                }
                token = sql.substring(i, end).toUpperCase(Locale.ROOT);
                boolean afterDot = i > 0 && sql.charAt(i - 1) == '.';
                if (number && !afterDot && isPlainInteger(token) && valuePlace) {
                    value = Long.parseLong(token);
                    token = "?";
                }
            } else {
                // Comparison operators and -> (->>) are read whole, anything else one character at a time.
                end = i + 1;
                if (c == '-' && end < n && sql.charAt(end) == '>') {
                    end += end + 1 < n && sql.charAt(end + 1) == '>' ? 2 : 1;
                }
                while (isOperatorChar(c) && end < n && isOperatorChar(sql.charAt(end))) {
                    end++;
                }
                token = sql.substring(i, end);
                if (token.equals("(")) {
                    depth++;
                    if (inListOpening) {
                        inListDepth = depth;
                    }
                } else if (token.equals(")")) {
                    if (depth == inListDepth) {
                        inListDepth = -1;
                    }
                    depth--;
                }
            }
            if (value != null) {
                if (text == null) {
                    text = new StringBuilder(n);
                }
                text.append(sql, copied, i).append('?');
                copied = end;
                values.add(value);
            }
            inListOpening = token.equals("IN");
            betweenAnd = betweenOpen && token.equals("AND");
            betweenOpen = token.equals("BETWEEN") || betweenOpen && !betweenAnd;
            previous = token;
            i = end;
        }
        if (text == null) {
            return Optional.of(new QueryShape(sql, List.of()));
        }
        return Optional.of(new QueryShape(text.append(sql, copied, n).toString(), values));
    }

    /** The index of the quote that closes the one at {@code start}, or -1 (unclosed, or a backslash inside). */
    private static int closingQuote(String sql, int start, char quote) {
        for (int i = start + 1; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\\' && quote != '`') {
                return -1;
            }
            if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i++; // a doubled quote stands for itself
                    continue;
                }
                return i;
            }
        }
        return -1;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '@' || c > 0x7F;
    }

    private static boolean isOperatorChar(char c) {
        return c == '=' || c == '<' || c == '>' || c == '!' || c == ':';
    }

    private static boolean isComparison(String token) {
        return switch (token) {
            case "=", "<", ">", "<=", ">=", "<>", "!=", "<=>" -> true;
            default -> false;
        };
    }

    private static boolean isPlainInteger(String word) {
        if (word.isEmpty() || word.length() > MAX_DIGITS || (word.charAt(0) == '0' && word.length() > 1)) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (word.charAt(i) < '0' || word.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
