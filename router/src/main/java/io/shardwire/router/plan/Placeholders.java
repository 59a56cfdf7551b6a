package io.shardwire.router.plan;

import java.util.List;

/** The {@code ?} placeholders of SQL text: those outside quotes and comments. */
final class Placeholders {

    private Placeholders() {
    }

    /** The index of the first placeholder at or after {@code from}, or -1. */
    static int next(String sql, int from) {
        for (int i = from; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                // Skip the quoted text; a backslash escapes the next character in strings, a doubled quote is one quote.
                for (i++; i < sql.length() && sql.charAt(i) != c; i++) {
                    if (sql.charAt(i) == '\\' && c != '`') {
                        i++;
                    }
                }
            } else if (c == '#' || (c == '-' && sql.startsWith("-- ", i))) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 1;
            } else if (c == '?') {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@link #inline} writes the value: an integer, or a string without a backslash. */
    static boolean inlinable(Object value) {
        return value instanceof Long || value instanceof String string && string.indexOf('\\') < 0;
    }

    /**
     * The text with each placeholder replaced by its value, in order: an integer as decimal digits, a string as a
     * single-quoted literal (a quote doubled); a string with a backslash is refused, as it reads differently under
     * NO_BACKSLASH_ESCAPES.
     */
    static String inline(String sql, List<?> values) {
        StringBuilder text = new StringBuilder(sql.length() + 8 * values.size());
        int copied = 0;
        int at = next(sql, 0);
        for (Object value : values) {
            if (at < 0) {
                throw new IllegalArgumentException("more values than placeholders in: " + sql);
            }
            if (!inlinable(value)) {
                throw new IllegalArgumentException("not an integer or a string without backslash: " + value);
            }
            text.append(sql, copied, at);
            if (value instanceof String string) {
                text.append('\'').append(string.replace("'", "''")).append('\'');
            } else {
                text.append(((Long) value).longValue());
            }
            copied = at + 1;
            at = next(sql, copied);
        }
        if (at >= 0) {
            throw new IllegalArgumentException("fewer values than placeholders in: " + sql);
        }
        return text.append(sql, copied, sql.length()).toString();
    }
}
