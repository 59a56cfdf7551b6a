package io.shardwire.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * Run by {@link EmbeddedClusterTest} in a child JVM, to be killed there: starts one group without replicas on the
 * given dir, writes a row, prints {@value #READY} and waits to be killed.
 */
public final class ClusterInChildJvm {

    static final String READY = "CLUSTER-READY";

    private ClusterInChildJvm() {
    }

    public static void main(String[] args) throws Exception {
        ClusterSpec spec = ClusterSpec.of(Path.of(args[0]), 1, 0);
        EmbeddedCluster cluster = EmbeddedCluster.start(spec);
        EmbeddedServer primary = cluster.groups().getFirst().primary();
        try (Connection connection = primary.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS child");
            statement.execute("CREATE TABLE IF NOT EXISTS child.t (id INT PRIMARY KEY, note VARCHAR(40))");
            statement.execute("REPLACE INTO child.t VALUES (1, 'written before the kill')");
        }
        System.out.println(READY + " " + primary.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
