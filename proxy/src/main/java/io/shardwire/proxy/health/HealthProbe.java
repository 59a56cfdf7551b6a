package io.shardwire.proxy.health;

import io.shardwire.config.DataSourceConfig;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * One health check of one data source over a fresh JDBC connection, so that the check proves the server accepts
 * connections (a pooled connection could outlive a server that no longer does). Connect and every read are bounded
 * by the timeout.
 */
final class HealthProbe {

    private final long timeoutMs;

    HealthProbe(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    /** The primary's {@code @@gtid_binlog_pos}. */
    GtidPosition checkPrimary(DataSourceConfig source) throws SQLException {
        try (Connection connection = connect(source); Statement statement = statement(connection);
             ResultSet rows = statement.executeQuery("SELECT @@gtid_binlog_pos")) {
            rows.next();
            return GtidPosition.parse(rows.getString(1));
        }
    }

    /**
     * A replica's replication state.
     *
     * @param primary the primary's position from the same round, or null if it did not answer
     */
    ReplicaLag checkReplica(DataSourceConfig source, GtidPosition primary) throws SQLException {
        try (Connection connection = connect(source); Statement statement = statement(connection)) {
            boolean replicating = false;
            OptionalLong secondsBehind = OptionalLong.empty();
            try (ResultSet status = statement.executeQuery("SHOW SLAVE STATUS")) {
                if (status.next()) {
                    replicating = "Yes".equalsIgnoreCase(status.getString("Slave_IO_Running"))
                            && "Yes".equalsIgnoreCase(status.getString("Slave_SQL_Running"));
                    long seconds = status.getLong("Seconds_Behind_Master");
                    secondsBehind = status.wasNull() ? OptionalLong.empty() : OptionalLong.of(seconds);
                }
            }
            GtidPosition replica;
            try (ResultSet rows = statement.executeQuery("SELECT @@gtid_slave_pos")) {
                rows.next();
                replica = GtidPosition.parse(rows.getString(1));
            }
            return new ReplicaLag(replicating, secondsBehind, replica, primary == null ? GtidPosition.EMPTY : primary,
                    primary == null ? -1 : primary.transactionsAhead(replica));
        }
    }

    /**
     * Whether a check failed because the server refused the connection: nothing listens on the port, so the server
     * is not running, which no retry within a heartbeat changes (a timeout under load may be momentary).
     */
    static boolean refused(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private Connection connect(DataSourceConfig source) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", source.user());
        properties.setProperty("password", source.password());
        properties.setProperty("sslMode", "DISABLED");
        properties.setProperty("allowPublicKeyRetrieval", "true");
        properties.setProperty("connectTimeout", Long.toString(timeoutMs));
        properties.setProperty("socketTimeout", Long.toString(timeoutMs));
        return DriverManager.getConnection("jdbc:mysql://" + source.host() + ":" + source.port() + "/", properties);
    }

    private Statement statement(Connection connection) throws SQLException {
        Statement statement = connection.createStatement();
        statement.setQueryTimeout((int) Math.max(1, (timeoutMs + 999) / 1000));
        return statement;
    }
}
