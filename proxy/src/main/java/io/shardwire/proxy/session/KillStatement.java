package io.shardwire.proxy.session;

import java.util.Locale;
import java.util.Optional;

/**
 * {@code KILL [CONNECTION | QUERY] id}, which JSqlParser does not parse and which must never reach a
 * backend: there the id would name one of the backend's own threads, not a proxy connection.
 *
 * @param queryOnly {@code KILL QUERY}: stop the statement, keep the connection
 * @param connectionId the proxy connection id, as CONNECTION_ID() and the handshake report it
 */
public record KillStatement(boolean queryOnly, long connectionId) {

    /** The KILL statement in {@code sql}, if it is one; comments and case are ignored. */
    public static Optional<KillStatement> parse(String sql) {
        String[] words = withoutComments(sql).trim().replaceAll(";\\s*$", "").split("\\s+");
        if (words.length < 2 || !words[0].equalsIgnoreCase("KILL")) {
            return Optional.empty();
        }
        int at = 1;
        boolean queryOnly = false;
        String modifier = words[at].toUpperCase(Locale.ROOT);
        if (modifier.equals("QUERY") || modifier.equals("CONNECTION")) {
            queryOnly = modifier.equals("QUERY");
            at++;
        }
        if (words.length != at + 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new KillStatement(queryOnly, Long.parseLong(words[at])));
        } catch (NumberFormatException notAnId) {
            return Optional.empty();
        }
    }

    private static String withoutComments(String sql) {
        return sql.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)(--\\s|#).*$", " ");
    }
}
