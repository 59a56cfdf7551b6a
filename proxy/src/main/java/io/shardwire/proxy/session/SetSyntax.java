package io.shardwire.proxy.session;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Regular expression pieces of the SET statements the session reads itself. */
final class SetSyntax {

    /** How an assignment names a session variable's scope, if it does: {@code SESSION}, {@code LOCAL}, {@code @@...}. */
    static final String SESSION_SCOPE = "(?:SESSION\\s+|LOCAL\\s+|@@SESSION\\.|@@LOCAL\\.|@@)";
    /** A SET statement; group 1 is its list of assignments, without a final semicolon. */
    static final Pattern LIST = Pattern.compile("(?is)\\s*SET\\s+(.*?)\\s*;?\\s*");

    /** The comma-separated parts of a SET's list: commas inside quotes or parentheses left alone. */
    static List<String> assignments(String list) {
        List<String> parts = new ArrayList<>();
        char quote = 0;
        int depth = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(list.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(list.substring(start));
        return parts;
    }

    private SetSyntax() {
    }
}
