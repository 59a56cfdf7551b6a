package io.shardwire.proxy.session;

import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The statements of one COM_QUERY text, split at its semicolons as MariaDB reads them: a semicolon inside a quoted
 * string or identifier or a comment separates nothing; inside an executable comment ({@code /*!...*}{@code /}) that
 * the server runs it is code, as that content is. A stored program's definition ({@code CREATE PROCEDURE | FUNCTION | TRIGGER
 * | EVENT | PACKAGE}, {@code BEGIN NOT ATOMIC}, a compound statement) takes the rest of the text, semicolons of its
 * body included: the proxy does not parse bodies, so such a definition must be the last statement of its text.
 * Blanks after the last semicolon are no statement ({@code SELECT 1;} is one).
 */
public final class StatementSplitter {

    /** MariaDB's ER_PARSE_ERROR shows at most this many characters of the text it could not read. */
    private static final int NEAR_CHARACTERS = 80;

    private static final Pattern STORED_PROGRAM = Pattern.compile(
            "\\s*(?:CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:DEFINER\\s*=\\s*\\S+\\s+)?(?:AGGREGATE\\s+)?"
                    + "(?:PROCEDURE|FUNCTION|TRIGGER|EVENT|PACKAGE)\\b|BEGIN\\s+NOT\\s+ATOMIC\\b"
                    + "|(?:IF|CASE|LOOP|WHILE|REPEAT|FOR)\\s)",
            Pattern.CASE_INSENSITIVE);

    private StatementSplitter() {
    }

    /**
     * One statement of a text.
     *
     * @param sql   its text, without the semicolon that ends it
     * @param start where it starts in the whole text (just past the semicolon before it)
     */
    public record Part(String sql, int start) {

        /** Whether the part holds nothing but blanks and comments (MariaDB answers a last such part with an OK). */
        public boolean commentsOnly() {
            return SqlComments.asCode(sql).isBlank();
        }
    }

    /** Whether {@code text} may hold more than one statement: the cheap test before {@link #split}. */
    public static boolean maySplit(String text) {
        return text.indexOf(';') >= 0;
    }

    /** The statements of {@code text}, in order; at least one (the whole text when it has no separating semicolon). */
    public static List<Part> split(String text) {
        List<Part> parts = new ArrayList<>();
        int n = text.length();
        int start = 0;
        boolean inExecutable = false;
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = SqlComments.quotedEnd(text, i);
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int content = SqlComments.executableContent(text, i + 2);
                if (content >= 0 && !inExecutable && SqlComments.runs(text, i + 2, content)) {
                    inExecutable = true;
                    i = content;
                } else {
                    int end = text.indexOf("*/", i + 2);
                    i = end < 0 ? n : end + 2;
                }
            } else if (inExecutable && c == '*' && i + 1 < n && text.charAt(i + 1) == '/') {
                inExecutable = false;
                i += 2;
            } else if (c == '#' || (c == '-' && i + 2 < n && text.charAt(i + 1) == '-'
                    && Character.isWhitespace(text.charAt(i + 2)))) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == ';') {
                String sql = text.substring(start, i);
                if (STORED_PROGRAM.matcher(SqlComments.asCode(sql)).lookingAt()) {
                    break;
                }
                parts.add(new Part(sql, start));
                start = ++i;
            } else {
                i++;
            }
        }
        if (start < n && !(text.substring(start).isBlank() && !parts.isEmpty())) {
            parts.add(new Part(text.substring(start), start));
        }
        while (parts.size() > 1 && parts.getLast().sql().isBlank()) {
            parts.removeLast();
        }
        if (parts.isEmpty()) {
            parts.add(new Part(text, 0));
        }
        return parts;
    }

    /**
     * MariaDB's syntax error for a text it cannot read from {@code part} on: a further statement where the client did
     * not enable multi-statements, or an empty statement between two semicolons. Like the server's, the message quotes
     * the text from the first word after the blanks and comments at the part's start, and names that word's line.
     */
    public static SessionError syntaxErrorAt(String text, Part part) {
        int near = StatementKeyword.skipBlanksAndComments(text, part.start(), true);
        int line = 1;
        for (int i = 0; i < near; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        String shown = text.substring(near, Math.min(text.length(), near + NEAR_CHARACTERS));
        return SessionError.of(MySQLErrorCode.ER_PARSE_ERROR, "check the manual that corresponds to your MariaDB server "
                + "version for the right syntax to use near '" + shown + "' at line " + line);
    }
}
