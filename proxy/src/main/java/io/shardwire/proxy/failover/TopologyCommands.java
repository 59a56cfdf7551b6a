package io.shardwire.proxy.failover;

import io.shardwire.config.DataSourceConfig;
import io.shardwire.config.FailoverConfig.Account;
import io.shardwire.proxy.health.GtidPosition;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * The SQL a failover runs on a group's servers, each over a fresh connection as the group's topology account (the
 * data account lacks READ_ONLY ADMIN on purpose, so {@code read_only=ON} stops its writes).
 */
final class TopologyCommands {

    private static final long POLL_MS = 50;
    private static final long SOCKET_TIMEOUT_MS = 30_000;

    private final Account account;
    private final long timeoutMs;

    /** @param timeoutMs connect timeout of each connection */
    TopologyCommands(Account account, long timeoutMs) {
        this.account = account;
        this.timeoutMs = timeoutMs;
    }

    /**
     * Stops the replica fetching from the dead primary and waits until it applied what it had fetched (its relay
     * log), up to {@code timeout}; then reads the GTID position it applied.
     */
    GtidPosition drainRelayLog(DataSourceConfig replica, Duration timeout) throws SQLException {
        try (Connection connection = connect(replica); Statement statement = connection.createStatement()) {
            statement.execute("STOP SLAVE IO_THREAD");
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!relayLogApplied(statement) && System.nanoTime() - deadline < 0) {
                sleep();
            }
            try (ResultSet rows = statement.executeQuery("SELECT @@gtid_slave_pos")) {
                rows.next();
                return GtidPosition.parse(rows.getString(1));
            }
        }
    }

    private static boolean relayLogApplied(Statement statement) throws SQLException {
        try (ResultSet status = statement.executeQuery("SHOW SLAVE STATUS")) {
            if (!status.next()) {
                return true;
            }
            if (!"Yes".equalsIgnoreCase(status.getString("Slave_SQL_Running"))) {
                return true; // stopped (by hand or on an error): it applies nothing more
            }
            return status.getString("Master_Log_File").equals(status.getString("Relay_Master_Log_File"))
                    && status.getLong("Read_Master_Log_Pos") == status.getLong("Exec_Master_Log_Pos");
        }
    }

    /**
     * What a replica holds, by GTID.
     *
     * @param current    every transaction it applied or logged itself ({@code @@gtid_current_pos})
     * @param replicated what it applied from a primary ({@code @@gtid_slave_pos})
     */
    record ReplicaPositions(GtidPosition current, GtidPosition replicated) {

        /** Whether it logged transactions of its own after what it replicated: writes made on it. */
        boolean wroteItself() {
            return current.transactionsAhead(replicated) > 0;
        }
    }

    /** Stops the replica's replication, so that it takes nothing more from whichever server it follows, and reads its
     * positions. */
    ReplicaPositions stopReplication(DataSourceConfig replica) throws SQLException {
        try (Connection connection = connect(replica); Statement statement = connection.createStatement()) {
            statement.execute("STOP SLAVE");
            try (ResultSet rows = statement.executeQuery("SELECT @@gtid_current_pos, @@gtid_slave_pos")) {
                rows.next();
                return new ReplicaPositions(GtidPosition.parse(rows.getString(1)),
                        GtidPosition.parse(rows.getString(2)));
            }
        }
    }

    /** The replica's last replication error ({@code Last_IO_Error}, else {@code Last_SQL_Error}), or empty. */
    Optional<String> replicationError(DataSourceConfig replica) throws SQLException {
        try (Connection connection = connect(replica); Statement statement = connection.createStatement();
             ResultSet status = statement.executeQuery("SHOW SLAVE STATUS")) {
            if (!status.next()) {
                return Optional.of("no replication configured");
            }
            for (String thread : new String[] {"IO", "SQL"}) {
                if (status.getInt("Last_" + thread + "_Errno") != 0) {
                    return Optional.of("error " + status.getInt("Last_" + thread + "_Errno") + ": "
                            + status.getString("Last_" + thread + "_Error"));
                }
            }
            return Optional.empty();
        }
    }

    /** What the server's binlog holds, which replicas following it can fetch: {@code @@gtid_binlog_pos}. */
    GtidPosition binlogPosition(DataSourceConfig source) throws SQLException {
        try (Connection connection = connect(source); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT @@gtid_binlog_pos")) {
            rows.next();
            return GtidPosition.parse(rows.getString(1));
        }
    }

    /** Makes the replica a primary: no replication left, writable. */
    void promote(DataSourceConfig replica) throws SQLException {
        try (Connection connection = connect(replica); Statement statement = connection.createStatement()) {
            statement.execute("STOP SLAVE");
            statement.execute("RESET SLAVE ALL");
            statement.execute("SET GLOBAL read_only = OFF");
        }
    }

    /**
     * Points a replica at a new primary by GTID ({@code MASTER_USE_GTID = slave_pos}: it goes on after the last
     * transaction it applied) and starts replicating. Options not named (TLS, retry interval) keep their values.
     */
    void follow(DataSourceConfig replica, DataSourceConfig primary, Account replication) throws SQLException {
        try (Connection connection = connect(replica); Statement statement = connection.createStatement()) {
            statement.execute("STOP SLAVE");
            statement.execute("CHANGE MASTER TO MASTER_HOST=" + literal(primary.host()) + ", MASTER_PORT="
                    + primary.port() + ", MASTER_USER=" + literal(replication.user()) + ", MASTER_PASSWORD="
                    + literal(replication.password()) + ", MASTER_USE_GTID=slave_pos");
            statement.execute("START SLAVE");
        }
    }

    /**
     * Sets {@code read_only=ON} on a former primary, so that no account without READ_ONLY ADMIN writes there.
     *
     * @return whether it was writable until now
     */
    boolean fence(DataSourceConfig former) throws SQLException {
        try (Connection connection = connect(former); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT @@read_only")) {
                rows.next();
                if (rows.getInt(1) != 0) {
                    return false;
                }
            }
            statement.execute("SET GLOBAL read_only = ON");
            return true;
        }
    }

    private Connection connect(DataSourceConfig source) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", account.user());
        properties.setProperty("password", account.password());
        properties.setProperty("sslMode", "DISABLED");
        properties.setProperty("allowPublicKeyRetrieval", "true");
        properties.setProperty("connectTimeout", Long.toString(timeoutMs));
        // A server that accepts but never answers must not hold a failover forever.
        properties.setProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT_MS));
        return DriverManager.getConnection("jdbc:mysql://" + source.host() + ":" + source.port() + "/", properties);
    }

    private static void sleep() throws SQLException {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a replica to apply its relay log", e);
        }
    }

    /** A single-quoted SQL string literal. */
    static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
