package io.shardwire.proxy.launcher;

import io.shardwire.config.ConfigLoader;
import io.shardwire.config.ServerConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.proxy.ShardwireServer;
import io.shardwire.proxy.demo.DemoConfig;
import io.shardwire.proxy.demo.DemoSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shardwire demo}: embedded MariaDB shard groups, the {@code shop} sample schema, and the
 * proxy in front of them. Ctrl-C or SIGTERM stops everything, the MariaDB servers included.
 */
@Command(name = "demo", description = "Start embedded shard groups, the demo schema 'shop' and the proxy.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "shardwire-data", description = "where the demo keeps its state (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "3307", description = "MySQL protocol port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--http-port", defaultValue = "9066", description = "HTTP port for /health (default: ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--groups", defaultValue = "2", description = "shard groups (default: ${DEFAULT-VALUE})")
    int groups;

    @Option(names = "--replicas", defaultValue = "1", description = "replicas per shard group (default: ${DEFAULT-VALUE})")
    int replicas;

    @Option(names = "--shard-port", defaultValue = "3310", description = "first MariaDB port; servers take the next ones in order (default: ${DEFAULT-VALUE})")
    int shardPort;

    @Option(names = "--auth-plugin", defaultValue = "mysql_native_password", converter = AuthPluginConverter.class,
            description = "plugin offered to clients: mysql_native_password or caching_sha2_password (default: ${DEFAULT-VALUE})")
    ServerConfig.AuthPlugin authPlugin;

    /** Reads a plugin by the name MySQL gives it. */
    static final class AuthPluginConverter implements CommandLine.ITypeConverter<ServerConfig.AuthPlugin> {
        @Override
        public ServerConfig.AuthPlugin convert(String value) {
            return Arrays.stream(ServerConfig.AuthPlugin.values())
                    .filter(p -> p.wireName().equalsIgnoreCase(value))
                    .findFirst()
                    .orElseThrow(() -> new CommandLine.TypeConversionException(
                            "'" + value + "' is not mysql_native_password or caching_sha2_password"));
        }
    }

    @Option(names = "--cdc", negatable = true, defaultValue = "true",
            description = "capture every committed change into the queue topic shardwire.changes (default: ${DEFAULT-VALUE})")
    boolean cdc;

    @Override
    public Integer call() throws Exception {
        Path home = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(home);
        System.out.println("Shardwire demo: data dir " + home);
        long started = System.nanoTime();

        ClusterSpec spec = ClusterSpec.of(home.resolve("mariadb"), groups, replicas).withFirstPort(shardPort);
        EmbeddedCluster cluster = EmbeddedCluster.start(spec);
        ShardwireServer server = null;
        try {
            Path configFile = home.resolve("shardwire.yaml");
            Files.writeString(configFile, DemoConfig.yaml(host, port, httpPort, home.resolve("proxy").toString(),
                    authPlugin, cluster.groups(), spec.user(), spec.password(), cdc));
            ShardwireConfig config = ConfigLoader.load(configFile);
            server = ShardwireServer.open(config);
            // The sample schema and rows go through the proxy only once every capture streams.
            server.awaitCaptureStreaming();
            try (Connection viaProxy = DriverManager.getConnection("jdbc:mysql://" + host + ":" + server.port()
                    + "/?sslMode=DISABLED", "app", "app")) {
                DemoSchema.create(viaProxy);
                DemoSchema.fill(viaProxy);
            }
            server.markReady();
        } catch (Exception | Error e) {
            if (server != null) {
                server.close();
            }
            cluster.close();
            throw e;
        }

        ShardwireServer running = server;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Shardwire demo: stopping the proxy and the MariaDB servers");
            running.close();
            cluster.close();
            stopped.countDown();
        }, "shardwire-demo-shutdown"));

        System.out.printf("Shardwire demo ready in %.1f s: %d shard groups x (1 primary + %d replicas), config %s%n",
                (System.nanoTime() - started) / 1e9, groups, replicas, home.resolve("shardwire.yaml"));
        System.out.printf("  connect:  mariadb -h%s -P%d -uapp -papp shop%n", host, running.port());
        System.out.printf("  admin:    mariadb -h%s -P%d -uadmin -padmin%n", host, running.port());
        System.out.printf("  health:   curl http://%s:%d/health%n", host, running.httpPort());
        if (cdc) {
            System.out.printf("  changes:  ./shardwire queue tail --url http://%s:%d --topic shardwire.changes --from-beginning --max 5%n",
                    host, running.httpPort());
        }
        System.out.println("  stop:     Ctrl-C");
        stopped.await();
        return 0;
    }
}
