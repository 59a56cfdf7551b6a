package io.shardwire.cdc;

import io.shardwire.cdc.source.ReplicationAccount;
import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.embedded.EmbeddedServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real mariadbd servers (two groups, no replicas) for every test class of the module, started on first use and
 * stopped when the test JVM exits; each test works in databases and directories of its own. Most tests use group
 * g0 only.
 */
final class SharedCluster {

    static final String CDC_USER = "shardwire_cdc";
    static final String CDC_PASSWORD = "cdc-secret";
    static final Path ROOT = Path.of("target", "cdc-it").toAbsolutePath();

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static EmbeddedCluster cluster;

    private SharedCluster() {
    }

    /** @return the primary of group g0, with the capture account set up */
    static EmbeddedServer primary() throws SQLException {
        return primary("g0");
    }

    /**
     * @param group g0 or g1
     * @return that group's primary, with the capture account set up
     */
    static synchronized EmbeddedServer primary(String group) throws SQLException {
        if (cluster == null) {
            cluster = EmbeddedCluster.start(ClusterSpec.of(ROOT.resolve("cluster"), 2, 0));
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "shared-cluster-stop"));
            for (String each : List.of("g0", "g1")) {
                try (Connection admin = cluster.group(each).primary().connect()) {
                    ReplicationAccount.ensure(admin, CDC_USER, CDC_PASSWORD, "%");
                }
            }
        }
        return cluster.group(group).primary();
    }

    /** @return a name unique in this JVM and across runs, for a test's database and directories */
    static String uniqueName(String prefix) {
        return prefix + "_" + Long.toString(System.currentTimeMillis(), 36) + "_" + NEXT.incrementAndGet();
    }

    /** Runs statements on the primary of g0, in autocommit mode. */
    static void execute(String... sql) throws SQLException {
        executeOn("g0", sql);
    }

    /** Runs statements on a group's primary, in autocommit mode. */
    static void executeOn(String group, String... sql) throws SQLException {
        try (Connection connection = primary(group).connect(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    /** Runs statements on the primary in one transaction. */
    static void executeInTransaction(String... sql) throws SQLException {
        try (Connection connection = primary().connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            for (String each : sql) {
                statement.execute(each);
            }
            connection.commit();
        }
    }
}
