package io.shardwire.proxy.session;

import io.shardwire.config.UserConfig;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a user without {@code admin} sees of the server through the proxy, which a backend would answer about the
 * proxy's own account instead (its grants with its password hash, every backend thread with other sessions' SQL, the
 * data node and system databases): its own grants, its own sessions, its own schemas. Read on the statement's code
 * ({@link SqlComments#asCode}).
 */
final class AccountViews {

    private static final Pattern GRANTS = Pattern.compile(
            "(?is)\\s*SHOW\\s+GRANTS(?:\\s+FOR\\s+(CURRENT_USER(?:\\s*\\(\\s*\\))?|\\S+?))?\\s*;?\\s*");
    private static final Pattern PROCESSLIST = Pattern.compile("(?is)\\s*SHOW\\s+(FULL\\s+)?PROCESSLIST\\s*;?\\s*");
    private static final Pattern DATABASES = Pattern.compile(
            "(?is)\\s*SHOW\\s+(?:DATABASES|SCHEMAS)\\s+(?:LIKE\\s+'((?:[^'\\\\]|''|\\\\.)*)'|(WHERE\\b.*))\\s*;?\\s*");

    /** The processlist's columns, as MariaDB's. */
    static final List<String> PROCESSLIST_COLUMNS =
            List.of("Id", "User", "Host", "db", "Command", "Time", "State", "Info", "Progress");

    private AccountViews() {
    }

    /** An answer: the columns and rows, or the error. */
    record Answer(List<String> columns, List<List<String>> rows, SessionError error) {
    }

    /** SHOW GRANTS [FOR CURRENT_USER | FOR user]: the user's own grants, or empty if {@code sql} is no SHOW GRANTS. */
    static Optional<Answer> grants(String code, UserConfig user, String clientHost) {
        Matcher show = GRANTS.matcher(code);
        if (!show.matches()) {
            return Optional.empty();
        }
        String account = "`" + user.name().replace("`", "``") + "`@`%`";
        String named = show.group(1);
        if (named != null && !named.toUpperCase(Locale.ROOT).startsWith("CURRENT_USER")
                && !unquotedUser(named).equals(user.name())) {
            return Optional.of(new Answer(null, null, SessionError.of(
                    MySQLErrorCode.ER_DBACCESS_DENIED_ERROR, user.name(),
                    clientHost, "mysql")));
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("GRANT USAGE ON *.* TO " + account));
        user.schemas().stream().sorted().forEach(schema ->
                rows.add(List.of("GRANT ALL PRIVILEGES ON `" + schema.replace("`", "``") + "`.* TO " + account)));
        return Optional.of(new Answer(List.of("Grants for " + user.name() + "@%"), rows, null));
    }

    /** SHOW [FULL] PROCESSLIST: the user's own sessions, this one running the statement; empty if it is none. */
    static Optional<Answer> processlist(String code, String sql, long sessionId, UserConfig user,
                                        Map<Long, SessionRegistry.Control> sessions) {
        Matcher show = PROCESSLIST.matcher(code);
        if (!show.matches()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<Long, SessionRegistry.Control> entry : sessions.entrySet()) {
            SessionRegistry.Control session = entry.getValue();
            if (!session.user().equals(user.name())) {
                continue;
            }
            boolean self = entry.getKey() == sessionId;
            List<String> row = new ArrayList<>();
            row.add(Long.toString(entry.getKey()));
            row.add(session.user());
            row.add(session.clientHost());
            row.add(session.schema());
            row.add(self ? "Query" : "Sleep");
            row.add(self ? "0" : Long.toString(Duration.between(session.connectedAt(), now).toSeconds()));
            row.add(self ? "starting" : "");
            row.add(self ? sql : null);
            row.add("0.000");
            rows.add(row);
        }
        return Optional.of(new Answer(PROCESSLIST_COLUMNS, rows, null));
    }

    /**
     * SHOW DATABASES LIKE '...': the visible schemas that match, as plain SHOW DATABASES lists them; WHERE is refused
     * (it would be judged over the backend's databases). Empty if {@code sql} is neither.
     */
    static Optional<Answer> databases(String code, Collection<String> visibleSchemas) {
        Matcher show = DATABASES.matcher(code);
        if (!show.matches()) {
            return Optional.empty();
        }
        if (show.group(2) != null) {
            return Optional.of(new Answer(null, null, SessionError.of(
                    MySQLErrorCode.ER_NOT_SUPPORTED_YET,
                    "SHOW DATABASES WHERE (use LIKE, or information_schema.SCHEMATA)")));
        }
        String pattern = show.group(1).replace("''", "'");
        // Database names compare as file names do on the servers (lower_case_table_names=0): case-sensitively.
        Pattern like = SqlWords.likePattern(pattern, false);
        List<List<String>> rows = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of("information_schema"));
        visibleSchemas.stream().sorted().forEach(names::add);
        for (String name : names) {
            if (like.matcher(name).matches()) {
                rows.add(List.of(name));
            }
        }
        return Optional.of(new Answer(List.of("Database (" + pattern + ")"), rows, null));
    }

    /** The user part of {@code 'user'@'host'}, {@code `user`@host} or {@code user}. */
    private static String unquotedUser(String account) {
        return SqlWords.unquote(account.contains("@") ? account.substring(0, account.indexOf('@')) : account);
    }
}
