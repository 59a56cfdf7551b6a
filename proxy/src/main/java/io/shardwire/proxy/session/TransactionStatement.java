package io.shardwire.proxy.session;

import java.util.Locale;
import java.util.Optional;

/**
 * The statements that open and close transactions, which the session must see before any backend
 * does (JSqlParser parses neither BEGIN nor START TRANSACTION): the session decides which shard
 * group a transaction runs on.
 *
 * @param kind what the statement does
 * @param sql  the statement as the client wrote it, to replay on the transaction's backend
 */
public record TransactionStatement(Kind kind, String sql) {

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
        /** XA ...: distributed transactions driven by the client. */
        XA
    }

    /** The transaction statement in {@code sql}, if it is one. */
    public static Optional<TransactionStatement> parse(String sql) {
        String text = sql.trim().replaceAll(";\\s*$", "");
        String normalized = text.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        Kind kind = null;
        if (normalized.equals("BEGIN") || normalized.equals("BEGIN WORK") || normalized.startsWith("START TRANSACTION")) {
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
        return Optional.ofNullable(kind).map(k -> new TransactionStatement(k, text));
    }
}
