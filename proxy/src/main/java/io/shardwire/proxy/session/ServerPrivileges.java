package io.shardwire.proxy.session;

import io.shardwire.config.UserConfig;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.router.metadata.InformationSchemaView;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a user without {@code admin} may not run: statements that act on the server rather than on the user's schemas.
 * The proxy's backend account holds server-wide privileges (it runs XA recovery, reads binlogs, kills queries), and a
 * statement the proxy passes to a backend runs with them; MariaDB refuses these to an ordinary user, and so does the
 * proxy, with the error MariaDB gives one without the privilege: global variables, users, roles and grants, the
 * server's files ({@code INTO OUTFILE}, {@code LOAD_FILE}, {@code LOAD DATA} without {@code LOCAL}), flushing,
 * replication, plugins and shutdown, and creating, altering or dropping a database that is not one of the user's
 * schemas. Read on the statement's code: comments blank, executable comments opened ({@link SqlComments#asCode}).
 */
final class ServerPrivileges {

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.DOTALL;

    /** The first words of the statements below: any other statement (SELECT, INSERT, ...) passes one set lookup. */
    private static final Set<String> SERVER_WORDS = Set.of("SET", "SHOW", "CREATE", "DROP", "ALTER", "RENAME", "GRANT",
            "REVOKE", "FLUSH", "RESET", "PURGE", "SHUTDOWN", "RESTART", "INSTALL", "UNINSTALL", "BINLOG", "CHANGE",
            "START", "STOP", "LOAD", "PREPARE", "EXECUTE");

    /**
     * SQL-level prepared statements: their text is a string the proxy cannot read (or a user variable it cannot see),
     * which would run on one backend with the backend account's privileges and physical names.
     */
    private static final Pattern SQL_PREPARE = Pattern.compile("\\s*(?:PREPARE\\b|EXECUTE\\s+IMMEDIATE\\b)", FLAGS);
    /** information_schema tables that show other sessions' statements or the backends' accounts and grants. */
    private static final Pattern SERVER_TABLES = Pattern.compile("\\b(?:PROCESSLIST|INNODB_TRX|INNODB_LOCKS"
            + "|INNODB_LOCK_WAITS|USER_PRIVILEGES|SCHEMA_PRIVILEGES|TABLE_PRIVILEGES|COLUMN_PRIVILEGES|APPLICABLE_ROLES"
            + "|ENABLED_ROLES|USER_STATISTICS|CLIENT_STATISTICS|THREAD_POOL_\\w+)\\b", FLAGS);

    /** Statement starts that need a server privilege, and the privilege MariaDB names. */
    private static final Pattern USERS = Pattern.compile(
            "\\s*(?:(?:CREATE(?:\\s+OR\\s+REPLACE)?|DROP|ALTER|RENAME)\\s+(?:USER|ROLE)|GRANT|REVOKE)\\b", FLAGS);
    private static final Pattern RELOAD = Pattern.compile("\\s*(?:FLUSH|RESET|PURGE)\\b", FLAGS);
    private static final Pattern SHUTDOWN = Pattern.compile("\\s*(?:SHUTDOWN|RESTART)\\b", FLAGS);
    private static final Pattern SUPER = Pattern.compile("\\s*(?:INSTALL|UNINSTALL|BINLOG"
            + "|CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:AGGREGATE\\s+)?FUNCTION\\b[^(]*\\bSONAME"
            + "|CHANGE\\s+(?:MASTER|REPLICATION)|(?:START|STOP)\\s+(?:SLAVE|REPLICA|ALL\\s+SLAVES|ALL\\s+REPLICAS)"
            + "|(?:CREATE(?:\\s+OR\\s+REPLACE)?|ALTER|DROP)\\s+(?:SERVER|TABLESPACE)|ALTER\\s+INSTANCE|LOAD\\s+INDEX)\\b",
            FLAGS);
    private static final Pattern PROCESS = Pattern.compile("\\s*SHOW\\s+ENGINE\\b", FLAGS);
    private static final Pattern REPLICATION_CLIENT = Pattern.compile(
            "\\s*SHOW\\s+(?:BINLOG|BINARY|MASTER|SLAVE|REPLICA|RELAYLOG|ALL\\s+SLAVES|ALL\\s+REPLICAS)\\b", FLAGS);
    private static final Pattern GLOBAL_SET = Pattern.compile(
            "\\s*SET\\b.*(?:\\b(?:GLOBAL|PERSIST|PERSIST_ONLY)\\s|@@GLOBAL\\s*\\.)", FLAGS);
    private static final Pattern ACCOUNT_SET = Pattern.compile("\\s*SET\\s+(?:PASSWORD|(?:DEFAULT\\s+)?ROLE)\\b", FLAGS);
    private static final Pattern SERVER_FILES = Pattern.compile("\\bINTO\\s+(?:OUTFILE|DUMPFILE)\\b|\\bLOAD_FILE\\s*\\("
            + "|^\\s*LOAD\\s+(?:DATA|XML)\\s+(?:(?:LOW_PRIORITY|CONCURRENT)\\s+)?INFILE\\b", FLAGS);
    private static final Pattern DATABASE = Pattern.compile(
            "\\s*(?:CREATE(?:\\s+OR\\s+REPLACE)?|DROP|ALTER)\\s+(?:DATABASE|SCHEMA)\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?"
                    + "(`(?:[^`]|``)+`|[^\\s;`]+)", FLAGS);

    private ServerPrivileges() {
    }

    /**
     * The error for {@code sql} if {@code user} may not run it, else empty; an admin may run anything.
     *
     * @param keyword     the statement's first keyword, which spares most statements all but one test
     * @param ownDatabase whether a database is one of the user's schemas or of their data nodes (whose DDL the
     *                    planner answers)
     */
    static Optional<SessionError> refusal(String sql, StatementKeyword keyword, UserConfig user, String clientHost,
                                          Predicate<String> ownDatabase) {
        if (user.admin()) {
            return Optional.empty();
        }
        boolean mayReadFiles = containsIgnoringCase(sql, "FILE");
        boolean mayReadServerTables = keyword != StatementKeyword.SHOW && InformationSchemaView.mayRead(sql);
        boolean serverStatement = SERVER_WORDS.contains(StatementKeyword.firstWord(sql));
        if (!mayReadFiles && !mayReadServerTables && !serverStatement) {
            return Optional.empty();
        }
        // The statement's code past comments, with strings emptied: the one view every test below reads.
        String code = SqlComments.withoutStrings(SqlComments.asCode(sql));
        if (mayReadServerTables && SERVER_TABLES.matcher(code).find()) {
            // Every backend thread with other sessions' statements, or the backends' accounts; SHOW PROCESSLIST
            // lists the user's own sessions.
            return Optional.of(SessionError.of(MySQLErrorCode.ER_SPECIFIC_ACCESS_DENIED_ERROR, "PROCESS"));
        }
        if (mayReadFiles && SERVER_FILES.matcher(code).find()) {
            return Optional.of(SessionError.of(MySQLErrorCode.ER_ACCESS_DENIED_ERROR, user.name(), clientHost, "YES"));
        }
        if (!serverStatement) {
            return Optional.empty();
        }
        String privilege = USERS.matcher(code).lookingAt() ? "CREATE USER"
                : RELOAD.matcher(code).lookingAt() ? "RELOAD"
                : SHUTDOWN.matcher(code).lookingAt() ? "SHUTDOWN"
                : SUPER.matcher(code).lookingAt() || GLOBAL_SET.matcher(code).lookingAt() ? "SUPER"
                : REPLICATION_CLIENT.matcher(code).lookingAt() ? "REPLICATION CLIENT"
                : PROCESS.matcher(code).lookingAt() ? "PROCESS"
                : null;
        if (privilege != null) {
            return Optional.of(SessionError.of(MySQLErrorCode.ER_SPECIFIC_ACCESS_DENIED_ERROR, privilege));
        }
        if (SQL_PREPARE.matcher(code).lookingAt()) {
            return Optional.of(SessionError.of(MySQLErrorCode.ER_NOT_SUPPORTED_YET, "SQL-level PREPARE and EXECUTE"
                    + " IMMEDIATE through the proxy (use the client protocol's prepared statements, which the proxy plans)"));
        }
        if (ACCOUNT_SET.matcher(code).lookingAt()) {
            // The backend account's own password or roles: the proxy's users are its configuration.
            return Optional.of(SessionError.of(MySQLErrorCode.ER_NOT_SUPPORTED_YET,
                    "SET PASSWORD or SET ROLE through the proxy (its users are configured in its YAML)"));
        }
        Matcher database = DATABASE.matcher(code);
        if (database.lookingAt()) {
            String name = SqlWords.unquote(database.group(1));
            if (!ownDatabase.test(name)) {
                return Optional.of(SessionError.of(MySQLErrorCode.ER_DBACCESS_DENIED_ERROR, user.name(), clientHost, name));
            }
        }
        return Optional.empty();
    }

    private static boolean containsIgnoringCase(String text, String word) {
        for (int i = 0; i + word.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }
}
