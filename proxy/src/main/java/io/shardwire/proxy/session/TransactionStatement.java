package io.shardwire.proxy.session;

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
 * @param kind what the statement does
 * @param sql  the statement as the client wrote it, to replay on the transaction's backends
 * @param name the savepoint's name for SAVEPOINT / ROLLBACK TO / RELEASE SAVEPOINT, else null
 */
public record TransactionStatement(Kind kind, String sql, String name) {

    /** What a transaction statement does. */
    public enum Kind {
        /** BEGIN [WORK] or START TRANSACTION [READ ONLY | READ WRITE | WITH CONSISTENT SNAPSHOT]. */
        BEGIN,
        /** COMMIT [WORK]. */
        COMMIT,
        /** ROLLBACK [WORK] (not ROLLBACK TO SAVEPOINT, which stays inside the transaction). */
        ROLLBACK,
        /** SET [SESSION] autocommit = 0 / OFF. */
        AUTOCOMMIT_OFF,
        /** SET [SESSION] autocommit = 1 / ON. */
        AUTOCOMMIT_ON,
        /** SAVEPOINT name. */
        SAVEPOINT,
        /** ROLLBACK [WORK] TO [SAVEPOINT] name. */
        ROLLBACK_TO,
        /** RELEASE SAVEPOINT name. */
        RELEASE,
        /** SET TRANSACTION ...: isolation level or access mode of the next transaction only. */
        NEXT_CHARACTERISTICS,
        /** SET SESSION TRANSACTION ...: isolation level or access mode of the session's transactions. */
        SESSION_CHARACTERISTICS,
        /** XA ...: distributed transactions driven by the client. */
        XA
    }

    private static final Pattern SAVEPOINT = Pattern.compile("(?i)SAVEPOINT\\s+(`[^`]+`|\\w+)");
    private static final Pattern ROLLBACK_TO = Pattern.compile("(?i)ROLLBACK(?:\\s+WORK)?\\s+TO\\s+(?:SAVEPOINT\\s+)?(`[^`]+`|\\w+)");
    private static final Pattern RELEASE = Pattern.compile("(?i)RELEASE\\s+SAVEPOINT\\s+(`[^`]+`|\\w+)");

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
            String set = normalized.replace("@@SESSION.", "").replace("@@", "").replace("SET SESSION ", "SET ")
                    .replace(" = ", "=").replace("= ", "=").replace(" =", "=");
            if (set.equals("SET AUTOCOMMIT=0") || set.equals("SET AUTOCOMMIT=OFF")) {
                kind = Kind.AUTOCOMMIT_OFF;
            } else if (set.equals("SET AUTOCOMMIT=1") || set.equals("SET AUTOCOMMIT=ON")) {
                kind = Kind.AUTOCOMMIT_ON;
            }
        }
        return Optional.ofNullable(kind).map(k -> new TransactionStatement(k, text, null));
    }
}
