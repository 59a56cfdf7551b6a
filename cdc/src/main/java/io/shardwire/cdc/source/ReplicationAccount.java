package io.shardwire.cdc.source;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The setup step for the capture's own account on a shard group primary: created if missing, its password set, and
 * granted what Debezium's MariaDB connector needs and no more: SELECT (snapshot), RELOAD and LOCK TABLES (the
 * snapshot's consistent read lock), SHOW DATABASES, REPLICATION SLAVE (reading the binlog), BINLOG MONITOR
 * ({@code SHOW MASTER STATUS}, {@code SHOW BINARY LOGS}).
 *
 * <p>Run on the primary: the statements are binlogged, so the group's replicas get the same account, which a
 * capture that follows a failover needs.
 */
public final class ReplicationAccount {

    /** The grants, in MariaDB's names. */
    public static final String PRIVILEGES =
            "SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR, LOCK TABLES";

    private static final int MAX_USER_LENGTH = 80;

    private ReplicationAccount() {
    }

    /**
     * Creates or updates the account.
     *
     * @param admin    a connection with the right to create users and grant these privileges
     * @param user     the capture's account name
     * @param password its password
     * @param host     the host part, e.g. {@code %} or {@code 127.0.0.1}
     * @throws SQLException if a statement fails
     */
    public static void ensure(Connection admin, String user, String password, String host) throws SQLException {
        if (user == null || user.isEmpty() || user.length() > MAX_USER_LENGTH) {
            throw new IllegalArgumentException("user: '" + user + "' (expected: 1 to " + MAX_USER_LENGTH
                    + " characters)");
        }
        if (password == null || host == null || host.isEmpty()) {
            throw new IllegalArgumentException("password, host: " + (password == null ? "null" : "set") + ", '"
                    + host + "' (expected: a password, possibly empty, and a host)");
        }
        String account = literal(user) + "@" + literal(host);
        try (Statement statement = admin.createStatement()) {
            statement.execute("CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY " + literal(password));
            // An existing account keeps the configured password, so a changed configuration takes effect.
            statement.execute("ALTER USER " + account + " IDENTIFIED BY " + literal(password));
            statement.execute("GRANT " + PRIVILEGES + " ON *.* TO " + account);
        } catch (SQLException e) {
            throw new SQLException("could not set up the change capture account " + account + " with " + PRIVILEGES
                    + ": " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
        }
    }

    /** A single-quoted SQL string literal; backslashes are escaped too, as MariaDB treats them as escapes. */
    private static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
