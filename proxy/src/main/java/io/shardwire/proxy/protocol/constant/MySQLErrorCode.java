package io.shardwire.proxy.protocol.constant;

import java.util.Locale;

/**
 * The <a href="https://dev.mysql.com/doc/mysql-errors/8.4/en/server-error-reference.html">server errors</a>
 * Shardwire sends, with MySQL's error code, SQL state and message.
 *
 * <p>Codes and SQL states are MySQL's own so that clients and connectors react to them as they would to MySQL (for
 * example Connector/J maps SQL state 28000 to an authentication failure). Messages follow MySQL's wording with
 * {@link String#format} placeholders.
 */
public enum MySQLErrorCode {

    ER_CON_COUNT_ERROR(1040, "08004", "Too many connections"),
    ER_OUT_OF_RESOURCES(1041, "HY000", "Out of memory"),
    ER_HANDSHAKE_ERROR(1043, "08S01", "Bad handshake"),
    ER_DBACCESS_DENIED_ERROR(1044, "42000", "Access denied for user '%s'@'%s' to database '%s'"),
    ER_ACCESS_DENIED_ERROR(1045, "28000", "Access denied for user '%s'@'%s' (using password: %s)"),
    ER_NO_DB_ERROR(1046, "3D000", "No database selected"),
    ER_UNKNOWN_COM_ERROR(1047, "08S01", "Unknown command"),
    ER_BAD_DB_ERROR(1049, "42000", "Unknown database '%s'"),
    ER_NO_SUCH_THREAD(1094, "HY000", "Unknown thread id: %s"),
    ER_KILL_DENIED_ERROR(1095, "HY000", "You are not owner of thread %s"),
    ER_PARSE_ERROR(1064, "42000", "You have an error in your SQL syntax; %s"),
    ER_UNKNOWN_ERROR(1105, "HY000", "%s"),
    ER_TOO_MANY_USER_CONNECTIONS(1203, "42000", "User %s already has more than 'max_user_connections' active connections"),
    ER_NO_SUCH_TABLE(1146, "42S02", "Table '%s.%s' doesn't exist"),
    ER_NET_PACKET_TOO_LARGE(1153, "08S01", "Got a packet bigger than 'max_allowed_packet' bytes"),
    ER_SPECIFIC_ACCESS_DENIED_ERROR(1227, "42000",
            "Access denied; you need (at least one of) the %s privilege(s) for this operation"),
    ER_LOCK_DEADLOCK(1213, "40001", "Deadlock found when trying to get lock; try restarting transaction"),
    ER_NOT_SUPPORTED_YET(1235, "42000", "This version of Shardwire doesn't yet support '%s'"),
    ER_NOT_SUPPORTED_AUTH_MODE(1251, "08004",
            "Client does not support authentication protocol requested by server; consider upgrading MySQL client"),
    ER_QUERY_INTERRUPTED(1317, "70100", "Query execution was interrupted"),
    ER_UNKNOWN_STMT_HANDLER(1243, "HY000", "Unknown prepared statement handler (%s) given to %s"),
    ER_UNSUPPORTED_PS(1295, "HY000", "This command is not supported in the prepared statement protocol yet"),
    ER_INVALID_CHARACTER_STRING(1300, "HY000", "Invalid %s character string outside string literals: '%s'"),
    ER_STMT_HAS_NO_OPEN_CURSOR(1421, "HY000", "The statement (%s) has no open cursor."),
    ER_MAX_PREPARED_STMT_COUNT_REACHED(1461, "42000",
            "Can't create more than max_prepared_stmt_count statements (current value: %s)"),
    ER_MALFORMED_PACKET(1835, "HY000", "Malformed communication packet: %s"),
    ER_SECURE_TRANSPORT_REQUIRED(3159, "HY000",
            "Connections using insecure transport are prohibited while --require_secure_transport=ON."),
    ER_CLIENT_INTERACTION_TIMEOUT(4031, "HY000", "The client was disconnected by the server because of inactivity."
            + " See wait_timeout and interactive_timeout for configuring this behavior.");

    private final int errorCode;
    private final String sqlState;
    private final String messageTemplate;

    MySQLErrorCode(int errorCode, String sqlState, String messageTemplate) {
        this.errorCode = errorCode;
        this.sqlState = sqlState;
        this.messageTemplate = messageTemplate;
    }

    /** MySQL's numeric error code. */
    public int errorCode() {
        return errorCode;
    }

    /** The five-character SQL state. */
    public String sqlState() {
        return sqlState;
    }

    /** The message with {@link String#format} placeholders. */
    public String messageTemplate() {
        return messageTemplate;
    }

    /** The message with {@code args} filled in. */
    public String message(Object... args) {
        return String.format(Locale.ROOT, messageTemplate, args);
    }
}
