package io.shardwire.proxy.session;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The session SETs that every backend connection a session takes later replays, in order; an immutable value, so the
 * native path may keep its list as part of a connection's identity.
 *
 * <p>A SET of constants supersedes an earlier SET that assigned only variables it assigns again, when no SET kept
 * between them reads a variable: replaying both ends in the state replaying the later one gives. So a session that
 * sets the same variables on every request (a request id, a time zone) keeps a short list instead of reaching the
 * cap. A SET that changes how later statements are read (sql_mode, the client character set) is only superseded by
 * the SET right after it.
 */
final class SessionSets {

    /** No session SETs. */
    static final SessionSets NONE = new SessionSets(List.of());

    /** An {@code @} not next to another: a user variable (a quoted {@code @} counts too, erring towards yes). */
    private static final Pattern USER_VARIABLE = Pattern.compile("(?<!@)@(?!@)");
    /** A literal: a quoted string, hex, an unsigned number, NULL, TRUE or FALSE. */
    private static final String LITERAL = "'(?:[^'\\\\]|\\\\.|'')*'|\"(?:[^\"\\\\]|\\\\.|\"\")*\""
            + "|0x[0-9a-f]+|(?:\\d+\\.?\\d*|\\.\\d+)(?:e[+-]?\\d+)?|null|true|false";
    /** A value that reads no variable and no clock: a literal, perhaps signed. */
    private static final Pattern CONSTANT_VALUE = Pattern.compile("(?i)[+-]?(?:" + LITERAL + ")");
    /** A keyword value of a session variable (ON, DEFAULT, a mode's name). */
    private static final Pattern KEYWORD_VALUE = Pattern.compile("(?i)[a-z_][a-z0-9_]*");
    /**
     * Arithmetic on constants and variables: no function (a stored one may assign user variables) and no
     * {@code :=} (an assignment inside the value), so the assignment's target is all it changes.
     */
    private static final Pattern VARIABLE_VALUE = Pattern.compile(
            "(?i)(?>" + LITERAL + "|@@?[a-z0-9_$.]+|[-+*/%()\\s])++"); // atomic: linear on any input
    /** A user variable (group 1, unquoted) and its value (group 2). */
    private static final Pattern USER_ASSIGNMENT = Pattern.compile("(?is)\\s*@([a-z0-9_$.]+)\\s*:?=\\s*(.*?)\\s*");
    /** A session variable (group 1) and its value (group 2). */
    private static final Pattern SESSION_ASSIGNMENT = Pattern.compile("(?is)\\s*" + SetSyntax.SESSION_SCOPE + "?"
            + "([a-z_][a-z0-9_]*)\\s*:?=\\s*(.*?)\\s*");

    /**
     * One remembered SET.
     *
     * @param targets      the variables it changes ({@code @name} for user variables, lower case); null when not
     *                     sure (not understood, or a value that calls a function)
     * @param readsNothing whether its values are all constants
     */
    private record Remembered(String sql, Set<String> targets, boolean readsNothing) {

        static Remembered of(String sql) {
            Matcher set = SetSyntax.LIST.matcher(sql);
            if (!set.matches()) {
                return new Remembered(sql, null, false);
            }
            Set<String> targets = new HashSet<>();
            boolean constants = true;
            for (String part : SetSyntax.assignments(set.group(1))) {
                Matcher user = USER_ASSIGNMENT.matcher(part);
                Matcher session = SESSION_ASSIGNMENT.matcher(part);
                String value;
                if (user.matches()) {
                    targets.add("@" + user.group(1).toLowerCase(Locale.ROOT));
                    value = user.group(2);
                } else if (session.matches()) {
                    targets.add(session.group(1).toLowerCase(Locale.ROOT));
                    value = session.group(2);
                    if (KEYWORD_VALUE.matcher(value).matches()) {
                        continue;
                    }
                } else {
                    return new Remembered(sql, null, false);
                }
                if (!CONSTANT_VALUE.matcher(value).matches()) {
                    if (!VARIABLE_VALUE.matcher(value).matches()) {
                        return new Remembered(sql, null, false);
                    }
                    constants = false;
                }
            }
            return new Remembered(sql, Set.copyOf(targets), constants);
        }

        /** Whether the value of a later statement's literals depends on it (the SQL mode, the client character set). */
        boolean changesReading() {
            return targets.stream().anyMatch(name -> name.equals("sql_mode") || name.startsWith("character_set")
                    || name.startsWith("collation"));
        }
    }

    private final List<Remembered> remembered;
    private final List<String> statements;
    private final boolean setUserVariables;

    private SessionSets(List<Remembered> remembered) {
        this.remembered = List.copyOf(remembered);
        this.statements = remembered.stream().map(Remembered::sql).toList();
        this.setUserVariables = statements.stream().anyMatch(sql -> USER_VARIABLE.matcher(sql).find());
    }

    /** These SETs followed by one more, without the earlier SETs it supersedes. */
    SessionSets with(String sql) {
        Remembered added = Remembered.of(sql);
        List<Remembered> kept = new ArrayList<>(remembered);
        if (added.readsNothing()) {
            boolean keptBetween = false;
            for (int i = kept.size() - 1; i >= 0; i--) {
                Remembered earlier = kept.get(i);
                if (earlier.targets() != null && added.targets().containsAll(earlier.targets())
                        && !(keptBetween && earlier.changesReading())) {
                    kept.remove(i);
                } else if (!earlier.readsNothing()) {
                    break; // it may read a variable that a SET before it assigned
                } else {
                    keptBetween = true;
                }
            }
        }
        kept.add(added);
        return new SessionSets(kept);
    }

    /** The SET statements, in order (an immutable list). */
    List<String> statements() {
        return statements;
    }

    int size() {
        return statements.size();
    }

    /** Whether a SET names a user variable ({@code @name}, not {@code @@name}). */
    boolean setUserVariables() {
        return setUserVariables;
    }
}
