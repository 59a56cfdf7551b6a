package io.shardwire.proxy.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statements that open and close transactions, which the session must see before any backend
 * does (JSqlParser parses neither BEGIN nor START TRANSACTION): the session decides which shard
 * group a transaction runs on.
 *
 * @param kind   what the statement does
 * @param sql    the statement as the client wrote it, to replay on the transaction's backends
 * @param name   the savepoint's name for SAVEPOINT / ROLLBACK TO / RELEASE SAVEPOINT, else null
 * @param others for SET autocommit among other assignments, a SET of those others (run as a SET of their own would
 *               be: session SETs for every connection, the character sets), else null
 */
public record TransactionStatement(Kind kind, String sql, String name, String others) {

    /** A statement that sets nothing besides what its kind says. */
    public TransactionStatement(Kind kind, String sql, String name) {
        this(kind, sql, name, null);
    }

    /** What a transaction statement does. */
    public enum Kind {
        /** BEGIN [WORK] or START TRANSACTION [READ ONLY | READ WRITE | WITH CONSISTENT SNAPSHOT]. */
        BEGIN,
        /** COMMIT [WORK]. */
        COMMIT,
        /** ROLLBACK [WORK] (not ROLLBACK TO SAVEPOINT, which stays inside the transaction). */
        ROLLBACK,
        /** SET [SESSION] autocommit = 0 / OFF, alone or among other assignments ({@link #others}). */
        AUTOCOMMIT_OFF,
        /** SET [SESSION] autocommit = 1 / ON, alone or among other assignments ({@link #others}). */
        AUTOCOMMIT_ON,
        /** SAVEPOINT name. */
        SAVEPOINT,
        /** ROLLBACK [WORK] TO [SAVEPOINT] name. */
        ROLLBACK_TO,
        /** RELEASE SAVEPOINT name. */
        RELEASE,
        /**
         * SET TRANSACTION ...: isolation level or access mode of the next transaction only; so is a SET of
         * {@code @@transaction_isolation} / {@code @@tx_isolation} / {@code @@transaction_read_only} /
         * {@code @@tx_read_only} without a scope, as the servers take it.
         */
        NEXT_CHARACTERISTICS,
        /**
         * SET SESSION TRANSACTION ...: isolation level or access mode of the session's transactions; so is a SET of
         * those variables in the session's scope ({@code SESSION} / {@code LOCAL} / {@code @@SESSION.} /
         * {@code @@LOCAL.}, or the bare name), alone or with other session variables set to plain values (a driver's
         * connect-time SET).
         */
        SESSION_CHARACTERISTICS,
        /** XA ...: distributed transactions driven by the client. */
        XA,
        /**
         * A SET naming a transaction characteristic variable that is neither of the above: GLOBAL, or the next
         * transaction's in a list with other assignments. Refused: passed on as it is, it would reach one group's
         * connection only.
         */
        MIXED_CHARACTERISTICS,
        /**
         * SET autocommit among assignments that set the next transaction's characteristics, or the global ones.
         * Refused: the proxy cannot apply the characteristics and autocommit together.
         */
        MIXED_AUTOCOMMIT
    }

    private static final Pattern SAVEPOINT = Pattern.compile("(?i)SAVEPOINT\\s+(`[^`]+`|\\w+)");
    private static final Pattern ROLLBACK_TO = Pattern.compile("(?i)ROLLBACK(?:\\s+WORK)?\\s+TO\\s+(?:SAVEPOINT\\s+)?(`[^`]+`|\\w+)");
    private static final Pattern RELEASE = Pattern.compile("(?i)RELEASE\\s+SAVEPOINT\\s+(`[^`]+`|\\w+)");
    /** The transaction characteristic variables. */
    private static final String CHARACTERISTICS = "(?:transaction_isolation|tx_isolation|transaction_read_only|tx_read_only)";
    /** One assignment of a transaction characteristic variable; group 1 is its scope, if written. */
    private static final Pattern CHARACTERISTIC = Pattern.compile("(?is)\\s*(" + SetSyntax.SESSION_SCOPE + ")?"
            + CHARACTERISTICS + "\\s*:?=\\s*('[^']*'|\"[^\"]*\"|\\w+)\\s*");
    /** Any other assignment of a plain value to a session variable. */
    private static final Pattern PLAIN_ASSIGNMENT = Pattern.compile("(?is)\\s*" + SetSyntax.SESSION_SCOPE + "?"
            + "[a-z_][a-z0-9_]*\\s*:?=\\s*('[^']*'|\"[^\"]*\"|[\\w.+-]+)\\s*");
    /** One assignment of autocommit; group 1 is its value. */
    private static final Pattern AUTOCOMMIT = Pattern.compile(
            "(?is)\\s*" + SetSyntax.SESSION_SCOPE + "?autocommit\\s*:?=\\s*(0|1|ON|OFF|TRUE|FALSE)\\s*");
    private static final Pattern NAMES_CHARACTERISTIC = Pattern.compile(
            "(?i)(?<![\\w@])(?:@@(?:SESSION\\.|LOCAL\\.|GLOBAL\\.)?)?" + CHARACTERISTICS + "\\b");

    /** The transaction statement in {@code sql}, if it is one. */
    public static Optional<TransactionStatement> parse(String sql) {
        String text = sql.trim().replaceAll(";\\s*$", "");
        String normalized = text.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        for (Map.Entry<Kind, Pattern> savepoint : Map.of(Kind.SAVEPOINT, SAVEPOINT, Kind.ROLLBACK_TO, ROLLBACK_TO,
                Kind.RELEASE, RELEASE).entrySet()) {
            Matcher matcher = savepoint.getValue().matcher(text);
            if (matcher.matches()) {
                String name = matcher.group(1);
                return Optional.of(new TransactionStatement(savepoint.getKey(), text,
                        name.startsWith("`") ? name.substring(1, name.length() - 1) : name));
            }
        }
        Kind kind = null;
        if (normalized.startsWith("SET TRANSACTION ")) {
            kind = Kind.NEXT_CHARACTERISTICS;
        } else if (normalized.startsWith("SET SESSION TRANSACTION ")) {
            kind = Kind.SESSION_CHARACTERISTICS;
        } else if (normalized.equals("BEGIN") || normalized.equals("BEGIN WORK") || normalized.startsWith("START TRANSACTION")) {
            kind = Kind.BEGIN;
        } else if (normalized.equals("COMMIT") || normalized.equals("COMMIT WORK")) {
            kind = Kind.COMMIT;
        } else if (normalized.equals("ROLLBACK") || normalized.equals("ROLLBACK WORK")) {
            kind = Kind.ROLLBACK;
        } else if (normalized.startsWith("XA ")) {
            kind = Kind.XA;
        } else {
            Optional<TransactionStatement> autocommit = autocommit(text);
            if (autocommit.isPresent()) {
                return autocommit;
            }
            kind = characteristicsVariables(text);
        }
        return Optional.ofNullable(kind).map(k -> new TransactionStatement(k, text, null));
    }

    /**
     * The kind of a SET that assigns a transaction characteristic variable: in the session's scope (with other plain
     * session assignments or not), or alone without a scope (the next transaction's), else
     * {@link Kind#MIXED_CHARACTERISTICS}; null for a SET assigning none of them, or for no SET.
     */
    private static Kind characteristicsVariables(String text) {
        Matcher set = SetSyntax.LIST.matcher(text);
        if (!set.matches() || !NAMES_CHARACTERISTIC.matcher(set.group(1)).find()) {
            return null;
        }
        boolean session = false;
        boolean next = false;
        boolean others = false;
        for (String part : SetSyntax.assignments(set.group(1))) {
            Matcher assignment = CHARACTERISTIC.matcher(part);
            if (assignment.matches()) {
                if ("@@".equals(assignment.group(1))) {
                    next = true;
                } else {
                    session = true;
                }
            } else if (PLAIN_ASSIGNMENT.matcher(part).matches()) {
                others = true;
            } else {
                return Kind.MIXED_CHARACTERISTICS;
            }
        }
        if (next) {
            return session || others ? Kind.MIXED_CHARACTERISTICS : Kind.NEXT_CHARACTERISTICS;
        }
        // Named only inside a quoted value (session_track_system_variables = '...'): not one of these.
        return session ? Kind.SESSION_CHARACTERISTICS : null;
    }

    /**
     * A SET assigning autocommit, alone or with something else: {@link Kind#AUTOCOMMIT_OFF} / {@link Kind#AUTOCOMMIT_ON}
     * (the last assignment's), with the other assignments as {@link #others}, or {@link Kind#MIXED_AUTOCOMMIT} when
     * they set transaction characteristics other than the session's; empty for a SET that does not assign autocommit,
     * or no SET.
     */
    private static Optional<TransactionStatement> autocommit(String text) {
        Matcher set = SetSyntax.LIST.matcher(text);
        if (!set.matches()) {
            return Optional.empty();
        }
        Boolean on = null;
        List<String> others = new ArrayList<>();
        for (String part : SetSyntax.assignments(set.group(1))) {
            Matcher autocommit = AUTOCOMMIT.matcher(part);
            if (autocommit.matches()) {
                String value = autocommit.group(1).toUpperCase(Locale.ROOT);
                on = value.equals("1") || value.equals("ON") || value.equals("TRUE");
            } else {
                others.add(part.trim());
            }
        }
        if (on == null) {
            return Optional.empty();
        }
        if (others.isEmpty()) {
            return Optional.of(new TransactionStatement(on ? Kind.AUTOCOMMIT_ON : Kind.AUTOCOMMIT_OFF, text, null));
        }
        String rest = "SET " + String.join(", ", others);
        Kind restKind = characteristicsVariables(rest);
        if (restKind == Kind.MIXED_CHARACTERISTICS || restKind == Kind.NEXT_CHARACTERISTICS) {
            return Optional.of(new TransactionStatement(Kind.MIXED_AUTOCOMMIT, text, null));
        }
        return Optional.of(new TransactionStatement(on ? Kind.AUTOCOMMIT_ON : Kind.AUTOCOMMIT_OFF, text, null, rest));
    }
}
