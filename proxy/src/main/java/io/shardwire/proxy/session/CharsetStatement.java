package io.shardwire.proxy.session;

import io.shardwire.proxy.protocol.constant.TextCharset;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement that sets the connection's character sets: {@code SET NAMES cs [COLLATE c]}, {@code SET CHARACTER SET cs}
 * (or {@code CHARSET}), and {@code SET [SESSION] character_set_client | character_set_connection |
 * character_set_results | collation_connection = value}, alone or in a list of only these.
 *
 * <p>The proxy splits what it means. The client's character set (how its statements are encoded) is the proxy's to
 * read: {@link #clientCharset()}; so is the results character set, which the proxy converts text columns to
 * ({@link #results()}, see {@link ResultsCharset}). The rest ({@code character_set_connection} and
 * {@code collation_connection}, which decide literals and their comparisons) goes to every backend connection the
 * session uses: {@link #backendSql()}, which ends by setting the backend's {@code character_set_client} back to
 * {@code utf8mb4}, since the proxy's driver always sends UTF-8, and its {@code character_set_results} back to
 * {@code NULL}, so that results keep each column's collation, which the merges compare by.
 *
 * @param clientCharset the charset the client now sends statements in; empty when unchanged, or when it returns to
 *                      the one of the handshake ({@code DEFAULT}, see {@link #clientCharsetDefault()})
 * @param clientCharsetDefault whether the client's charset returns to the one of its handshake
 * @param results       the results charset now, lower case: a name {@link ResultsCharset#named} takes, or
 *                      {@code default} for the handshake's; null when unchanged
 * @param backendSql    the statement for the backends, or null when they need none
 */
record CharsetStatement(Optional<Charset> clientCharset, boolean clientCharsetDefault, String results,
                        String backendSql) {

    private static final String VALUE = "('[^']*'|\"[^\"]*\"|`[^`]*`|[A-Za-z0-9_]+)";
    private static final Pattern NAMES = Pattern.compile(
            "(?is)\\s*SET\\s+NAMES\\s+" + VALUE + "(?:\\s+COLLATE\\s+" + VALUE + ")?\\s*;?\\s*");
    private static final Pattern CHARACTER_SET = Pattern.compile(
            "(?is)\\s*SET\\s+(?:CHARACTER\\s+SET|CHARSET)\\s+" + VALUE + "\\s*;?\\s*");
    /** {@code NAMES cs [COLLATE c]} as an item of a SET list. */
    private static final Pattern NAMES_ITEM = Pattern.compile(
            "(?is)\\s*NAMES\\s+" + VALUE + "(?:\\s+COLLATE\\s+" + VALUE + ")?\\s*");
    /** {@code CHARACTER SET cs} or {@code CHARSET cs} as an item of a SET list. */
    private static final Pattern CHARACTER_SET_ITEM = Pattern.compile(
            "(?is)\\s*(?:CHARACTER\\s+SET|CHARSET)\\s+" + VALUE + "\\s*");
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?is)\\s*" + SetSyntax.SESSION_SCOPE + "?"
                    + "(character_set_client|character_set_connection|character_set_results|collation_connection)"
                    + "\\s*:?=\\s*" + VALUE + "\\s*");
    /** The start of an assignment to one of the connection's character sets in any scope, or of NAMES / CHARACTER SET. */
    private static final Pattern CHARSET_TARGET = Pattern.compile("(?is)\\s*(?:(?:GLOBAL\\s+|@@GLOBAL\\.|"
            + SetSyntax.SESSION_SCOPE + ")?(?:character_set_client|character_set_connection|character_set_results"
            + "|collation_connection)\\s*:?=|NAMES\\b|CHARACTER\\s+SET\\b|CHARSET\\b)");
    private static final String BACKEND_CLIENT = "character_set_client = utf8mb4, character_set_results = NULL";

    /** The statement, if it is one of these, or a refusal naming a client charset the proxy cannot read. */
    static Optional<CharsetStatement> parse(String sql) throws Refused {
        Matcher names = NAMES.matcher(sql);
        if (names.matches()) {
            return Optional.of(forClient(unquote(names.group(1)), "SET NAMES", lower(names.group(1)),
                    "SET NAMES " + names.group(1) + (names.group(2) == null ? "" : " COLLATE " + names.group(2))
                            + ", " + BACKEND_CLIENT));
        }
        Matcher characterSet = CHARACTER_SET.matcher(sql);
        if (characterSet.matches()) {
            return Optional.of(forClient(unquote(characterSet.group(1)), "SET CHARACTER SET",
                    lower(characterSet.group(1)),
                    "SET CHARACTER SET " + characterSet.group(1) + ", " + BACKEND_CLIENT));
        }
        Matcher list = SetSyntax.LIST.matcher(sql);
        if (!list.matches()) {
            return Optional.empty();
        }
        List<String> parts = SetSyntax.assignments(list.group(1));
        if (parts.stream().noneMatch(CharsetStatement::namesACharsetVariable)) {
            return Optional.empty();
        }
        // The other assignments go to the backends with the charset ones, in their order: left out, they would reach
        // one connection only.
        String client = null;
        String results = null;
        String clientStatement = "SET character_set_client";
        boolean resetBackendClient = false;
        List<String> backend = new ArrayList<>();
        for (String part : parts) {
            Matcher assignment = ASSIGNMENT.matcher(part);
            Matcher namesItem = NAMES_ITEM.matcher(part);
            Matcher characterSetItem = CHARACTER_SET_ITEM.matcher(part);
            if (namesItem.matches() || characterSetItem.matches()) {
                // As MariaDB Connector/J sends at connect: set ...,NAMES utf8mb4
                Matcher item = namesItem.matches() ? namesItem : characterSetItem;
                client = unquote(item.group(1));
                clientStatement = namesItem.matches() ? "SET NAMES" : "SET CHARACTER SET";
                results = lower(item.group(1));
                backend.add(part.strip());
                resetBackendClient = true;
            } else if (assignment.matches()) {
                if (assignment.group(1).equalsIgnoreCase("character_set_client")) {
                    client = unquote(assignment.group(2));
                } else if (assignment.group(1).equalsIgnoreCase("character_set_results")) {
                    results = results(assignment.group(2), "SET character_set_results");
                } else {
                    backend.add(assignment.group(1) + " = " + assignment.group(2));
                }
            } else if (namesACharsetVariable(part)) {
                throw new Refused("SET " + part.strip() + " (the session's character sets are set to a name, in the"
                        + " session scope)");
            } else {
                backend.add(part.strip());
            }
        }
        if (resetBackendClient) {
            backend.add(BACKEND_CLIENT);
        }
        String backendSql = backend.isEmpty() ? null : "SET " + String.join(", ", backend);
        if (client == null) {
            return Optional.of(new CharsetStatement(Optional.empty(), false, results, backendSql));
        }
        return Optional.of(forClient(client, clientStatement, results, backendSql));
    }

    /** Whether an assignment of a SET list sets one of the connection's character sets, in any scope or form. */
    private static boolean namesACharsetVariable(String part) {
        return CHARSET_TARGET.matcher(part).lookingAt();
    }

    private static CharsetStatement forClient(String charset, String statement, String results, String backendSql)
            throws Refused {
        String name = charset.toLowerCase(Locale.ROOT);
        if (name.equals("default")) {
            return new CharsetStatement(Optional.empty(), true, results, backendSql);
        }
        Charset java = TextCharset.named(name).map(TextCharset::java).orElseThrow(() -> new Refused(statement + " "
                + charset + " (Shardwire reads client statements in utf8mb4, utf8mb3, latin1 or ascii)"));
        return new CharsetStatement(Optional.of(java), false, results, backendSql);
    }

    /**
     * The results charset of a NAMES or CHARACTER SET, lower case: also the client's, so one {@link #forClient} takes
     * is one the proxy converts results to.
     */
    private static String lower(String value) {
        return unquote(value).toLowerCase(Locale.ROOT);
    }

    /** The results charset a statement sets, lower case, checked: one the proxy converts to, NULL, binary or DEFAULT. */
    private static String results(String value, String statement) throws Refused {
        String name = unquote(value).toLowerCase(Locale.ROOT);
        if (!name.equals("default")) {
            try {
                ResultsCharset.named(name);
            } catch (IllegalArgumentException e) {
                throw new Refused(statement + " " + value
                        + " (Shardwire sends results in utf8mb4, utf8mb3, latin1, ascii, or unconverted)");
            }
        }
        return name;
    }

    private static String unquote(String value) {
        char first = value.charAt(0);
        return first == '\'' || first == '"' || first == '`' ? value.substring(1, value.length() - 1) : value;
    }

    /** A character set statement the proxy cannot honour: the construct, for error 1235. */
    static final class Refused extends Exception {
        Refused(String construct) {
            super(construct);
        }
    }
}
