package io.shardwire.proxy.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An admin statement, recognised from its words: {@code SHOW SHARDWIRE <what>} or {@code RELOAD SHARDWIRE CONFIG},
 * in any case, with any spacing and comments, and an optional trailing semicolon. Anything else that starts with
 * {@code SHOW SHARDWIRE} or {@code RELOAD SHARDWIRE} is an {@link Kind#UNKNOWN} admin statement (answered with a
 * syntax error naming the statements there are), so that a typo is not sent to a backend.
 *
 * @param kind  which statement
 * @param words the statement's words, upper case, for the error of an unknown one
 */
public record AdminStatement(Kind kind, List<String> words) {

    /** The admin statements. */
    public enum Kind {
        SHOW_GROUPS, SHOW_TABLES, SHOW_SESSIONS, SHOW_CDC, SHOW_QUEUE, RELOAD_CONFIG, UNKNOWN
    }

    /** Stands for what is not a word in {@link #words}. */
    private static final String OTHER = "?";

    /** The statements there are, for error messages. */
    static final String KNOWN = "SHOW SHARDWIRE GROUPS | TABLES | SESSIONS | CDC | QUEUE, RELOAD SHARDWIRE CONFIG";

    /** The admin statement {@code sql} is, or empty if it is no admin statement. */
    public static Optional<AdminStatement> parse(String sql) {
        List<String> words = words(sql);
        if (words.size() < 2 || !words.get(1).equals("SHARDWIRE")
                || !words.get(0).equals("SHOW") && !words.get(0).equals("RELOAD")) {
            return Optional.empty();
        }
        Kind kind = words.size() != 3 ? Kind.UNKNOWN : switch (words.get(0) + " " + words.get(2)) {
            case "SHOW GROUPS" -> Kind.SHOW_GROUPS;
            case "SHOW TABLES" -> Kind.SHOW_TABLES;
            case "SHOW SESSIONS" -> Kind.SHOW_SESSIONS;
            case "SHOW CDC" -> Kind.SHOW_CDC;
            case "SHOW QUEUE" -> Kind.SHOW_QUEUE;
            case "RELOAD CONFIG" -> Kind.RELOAD_CONFIG;
            default -> Kind.UNKNOWN;
        };
        return Optional.of(new AdminStatement(kind, List.copyOf(words)));
    }

    /**
     * The statement's words, upper case, spaces and comments skipped; anything else but a final ';' (a quote, a
     * number, an operator) ends the list as the word {@value #OTHER}.
     */
    private static List<String> words(String sql) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("/*", i)) {
                int close = sql.indexOf("*/", i + 2);
                if (close < 0) {
                    words.add(OTHER);
                    return words;
                }
                i = close + 2;
            } else if (c == '#' || sql.startsWith("--", i) && (i + 2 == n || Character.isWhitespace(sql.charAt(i + 2)))) {
                int newline = sql.indexOf('\n', i);
                i = newline < 0 ? n : newline + 1;
            } else if (c == ';') {
                // Only trailing: what follows may be spaces and comments, nothing else.
                if (!words(sql.substring(i + 1)).isEmpty()) {
                    words.add(OTHER);
                }
                return words;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
                    i++;
                }
                words.add(sql.substring(start, i).toUpperCase(Locale.ROOT));
            } else {
                words.add(OTHER);
                return words;
            }
        }
        return words;
    }
}
