package io.shardwire.proxy.session;

import java.util.Locale;
import java.util.Optional;

/**
 * {@code SHOW [FULL] TABLES [FROM schema]}: the proxy answers it with logical names, since the
 * tables of a schema spread over data nodes live under physical names in other databases.
 * Forms with LIKE or WHERE are left to the backend.
 *
 * @param full   whether a Table_type column is wanted
 * @param schema the schema named by FROM/IN, or null for the session's
 */
record ShowTables(boolean full, String schema) {

    /** The statement, if {@code sql} is one of the forms above. */
    static Optional<ShowTables> parse(String sql) {
        String[] words = sql.trim().replaceAll(";\\s*$", "").split("\\s+");
        int at = 0;
        if (words.length < 2 || !words[at++].equalsIgnoreCase("SHOW")) {
            return Optional.empty();
        }
        boolean full = words[at].equalsIgnoreCase("FULL");
        if (full) {
            at++;
        }
        if (at >= words.length || !words[at++].equalsIgnoreCase("TABLES")) {
            return Optional.empty();
        }
        if (at == words.length) {
            return Optional.of(new ShowTables(full, null));
        }
        String keyword = words[at].toUpperCase(Locale.ROOT);
        if ((keyword.equals("FROM") || keyword.equals("IN")) && at + 2 == words.length) {
            return Optional.of(new ShowTables(full, words[at + 1].replace("`", "")));
        }
        return Optional.empty();
    }
}
