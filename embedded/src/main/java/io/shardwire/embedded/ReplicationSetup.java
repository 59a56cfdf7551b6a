package io.shardwire.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB GTID replication from a group's primary to its replicas.
 *
 * <p>Replicas run with {@code --skip-slave-start} and are started from here: with free ports picked per run, a
 * restarted replica's master.info may name a port that now belongs to another group's primary, and replicating
 * that would mix two shards. So a replica is (re)pointed first, and only then started.
 */
final class ReplicationSetup {

    private static final Logger log = LoggerFactory.getLogger(ReplicationSetup.class);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private ReplicationSetup() {
    }

    /**
     * The password of the replication account for a cluster dir: created once in
     * {@code <dataDir>/replication.password} and reused, because replicas keep it in their master.info.
     */
    static String passwordFor(Path clusterDataDir) throws IOException {
        Path file = clusterDataDir.resolve("replication.password");
        if (!Files.exists(file)) {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, HexFormat.of().formatHex(random) + "\n", StandardCharsets.US_ASCII);
            } catch (FileAlreadyExistsException e) {
                // created by a concurrent start on the same dir; theirs is as good as ours
            }
        }
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
    }

    /**
     * Makes {@code replica} replicate from {@code primary} by GTID and starts it. Keeps an existing setup that
     * already points at the primary (a restart resumes where it stopped); re-points one that names another
     * address; configures one that has none.
     */
    static void followPrimary(EmbeddedServer replica, EmbeddedServer primary, String replicationPassword) {
        try (Connection connection = replica.connect(); Statement statement = connection.createStatement()) {
            Optional<ReplicaStatus> status = status(statement);
            boolean pointsAtPrimary = status.filter(s -> s.masterHost().equals(primary.host())
                    && s.masterPort() == primary.port()
                    && s.masterUser().equals(AccountsInitFile.REPLICATION_USER)).isPresent();
            if (!pointsAtPrimary) {
                if (status.isPresent()) {
                    statement.execute("STOP SLAVE");
                    log.info("{}: re-pointing replication from {}:{} to {} ({}:{})", replica.name(),
                            status.get().masterHost(), status.get().masterPort(), primary.name(), primary.host(),
                            primary.port());
                }
                // MASTER_SSL=0: since 11.4 a replica requires TLS by default, and the servers run with --skip-ssl.
                // MASTER_CONNECT_RETRY=1: the default 60 s between reconnects would stall tests that restart a primary.
                statement.execute("CHANGE MASTER TO MASTER_HOST=" + AccountsInitFile.literal(primary.host())
                        + ", MASTER_PORT=" + primary.port()
                        + ", MASTER_USER=" + AccountsInitFile.literal(AccountsInitFile.REPLICATION_USER)
                        + ", MASTER_PASSWORD=" + AccountsInitFile.literal(replicationPassword)
                        + ", MASTER_SSL=0, MASTER_CONNECT_RETRY=1, MASTER_USE_GTID=slave_pos");
            }
            statement.execute("START SLAVE");
        } catch (SQLException e) {
            throw new EmbeddedClusterException(replica.describe(), "could not set up replication from "
                    + primary.describe() + ": " + e.getMessage() + "; see " + replica.paths().logFile(), e);
        }
    }

    /**
     * Starts replication on a replica that has a primary configured (kept in master.info); does nothing on a
     * server that has none, e.g. a primary.
     */
    static void resumeIfConfigured(EmbeddedServer server) {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            if (status(statement).isPresent()) {
                statement.execute("START SLAVE");
            }
        } catch (SQLException e) {
            throw new EmbeddedClusterException(server.describe(), "could not resume replication: " + e.getMessage()
                    + "; see " + server.paths().logFile(), e);
        }
    }

    /** Waits until both replication threads of {@code replica} run (Slave_IO_Running and Slave_SQL_Running = Yes). */
    static void awaitReplicating(EmbeddedServer replica, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<ReplicaStatus> last = Optional.empty();
        try (Connection connection = replica.connect(); Statement statement = connection.createStatement()) {
            while (true) {
                last = status(statement);
                if (last.filter(ReplicaStatus::running).isPresent()) {
                    return;
                }
                if (System.nanoTime() - deadline >= 0) {
                    break;
                }
                Thread.sleep(POLL_INTERVAL.toMillis());
            }
        } catch (SQLException e) {
            throw new EmbeddedClusterException(replica.describe(), "could not read replication status: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedClusterException(replica.describe(), "interrupted while waiting for replication", e);
        }
        String state = last.map(ReplicaStatus::toString).orElse("no primary configured");
        throw new EmbeddedClusterException(replica.describe(), "replication did not start within "
                + timeout.toSeconds() + " s (" + state + "); see " + replica.paths().logFile());
    }

    private static Optional<ReplicaStatus> status(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SHOW SLAVE STATUS")) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new ReplicaStatus(rs.getString("Master_Host"), rs.getInt("Master_Port"),
                    rs.getString("Master_User"), rs.getString("Slave_IO_Running"),
                    rs.getString("Slave_SQL_Running"), rs.getString("Last_IO_Error"),
                    rs.getString("Last_SQL_Error")));
        }
    }

    /** The columns of {@code SHOW SLAVE STATUS} that setup and waiting look at. */
    private record ReplicaStatus(String masterHost, int masterPort, String masterUser, String ioRunning,
                                 String sqlRunning, String lastIoError, String lastSqlError) {

        boolean running() {
            return "Yes".equals(ioRunning) && "Yes".equals(sqlRunning);
        }

        @Override
        public String toString() {
            return "Slave_IO_Running=" + ioRunning + ", Slave_SQL_Running=" + sqlRunning
                    + (lastIoError == null || lastIoError.isEmpty() ? "" : ", Last_IO_Error=" + lastIoError)
                    + (lastSqlError == null || lastSqlError.isEmpty() ? "" : ", Last_SQL_Error=" + lastSqlError);
        }
    }
}
