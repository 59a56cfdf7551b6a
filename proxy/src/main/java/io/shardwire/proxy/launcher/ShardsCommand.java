package io.shardwire.proxy.launcher;

import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.embedded.EmbeddedGroup;
import io.shardwire.embedded.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shardwire shards}: embedded MariaDB shard groups alone, without the proxy, for a
 * configuration of one's own ({@code shardwire start --config}), for benchmarks and for
 * comparing with other proxies on the same servers. Ctrl-C or SIGTERM stops the servers.
 */
@Command(name = "shards", description = "Start embedded MariaDB shard groups only (no proxy) and keep them running.")
final class ShardsCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "shardwire-shards", description = "where the servers keep their data (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--groups", defaultValue = "2", description = "shard groups (default: ${DEFAULT-VALUE})")
    int groups;

    @Option(names = "--replicas", defaultValue = "0", description = "replicas per shard group (default: ${DEFAULT-VALUE})")
    int replicas;

    @Option(names = "--shard-port", defaultValue = "3310", description = "first MariaDB port; servers take the next ones in order (default: ${DEFAULT-VALUE})")
    int shardPort;

    @Option(names = "--ready-file", paramLabel = "FILE",
            description = "written once every server accepts connections: one line 'group role host port' per server")
    Path readyFile;

    @Override
    public Integer call() throws Exception {
        Path home = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(home);
        ClusterSpec spec = ClusterSpec.of(home, groups, replicas).withFirstPort(shardPort);
        EmbeddedCluster cluster = EmbeddedCluster.start(spec);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }, "shardwire-shards-shutdown"));

        StringBuilder servers = new StringBuilder();
        for (EmbeddedGroup group : cluster.groups()) {
            servers.append(line(group.name(), "primary", group.primary()));
            for (EmbeddedServer replica : group.replicas()) {
                servers.append(line(group.name(), "replica", replica));
            }
        }
        System.out.print(servers);
        System.out.printf("Shard servers ready (user %s, password %s); stop: Ctrl-C%n", spec.user(), spec.password());
        if (readyFile != null) {
            // Written whole, then renamed, so a script polling for the file never reads half of it.
            Path partial = readyFile.resolveSibling(readyFile.getFileName() + ".partial");
            Files.writeString(partial, servers);
            Files.move(partial, readyFile, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        stopped.await();
        return 0;
    }

    private static String line(String group, String role, EmbeddedServer server) {
        return group + " " + role + " " + server.host() + " " + server.port() + "\n";
    }
}
