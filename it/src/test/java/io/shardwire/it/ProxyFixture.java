package io.shardwire.it;

import io.shardwire.config.ConfigLoader;
import io.shardwire.config.QueueConfig;
import io.shardwire.config.ServerConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.proxy.ShardwireServer;
import io.shardwire.proxy.demo.DemoConfig;
import io.shardwire.proxy.demo.DemoSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.stream.Stream;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real shard groups (embedded {@code mariadbd} primaries and replicas) with a Shardwire proxy in
 * front, for one test class. Data lives under {@code target/it-data/<name>} and is reused by the
 * next run (stale servers of a killed run are reaped by the cluster), so tests make their own tables.
 */
final class ProxyFixture implements AutoCloseable {

    final EmbeddedCluster cluster;
    final ShardwireServer proxy;

    private ProxyFixture(EmbeddedCluster cluster, ShardwireServer proxy) {
        this.cluster = cluster;
        this.proxy = proxy;
    }

    /**
     * Starts {@code groups} shard groups with one replica each and a proxy configured as the demo's:
     * users {@code app}/{@code app} (schema {@code shop}) and {@code admin}/{@code admin}, schema
     * {@code shop} on {@code g0} (created empty here; the demo's sample data is not loaded).
     */
    static ProxyFixture start(String name, int groups) throws Exception {
        return start(name, groups, ServerConfig.AuthPlugin.MYSQL_NATIVE_PASSWORD);
    }

    /**
     * As {@link #start(String, int)}, with the demo's tables created through the proxy ({@code DemoSchema.create}) and
     * the named ones emptied of what an earlier run left.
     */
    static ProxyFixture startWithDemoTables(String name, int groups, String... emptied) throws Exception {
        ProxyFixture fixture = start(name, groups);
        try (Connection admin = fixture.connect("admin", "admin", ""); Statement s = admin.createStatement()) {
            DemoSchema.create(admin);
            for (String table : emptied) {
                s.execute("DELETE FROM " + table);
            }
        } catch (Exception | Error e) {
            fixture.close();
            throw e;
        }
        return fixture;
    }

    /** As {@link #start(String, int)}, with the given authentication plugin offered to clients. */
    static ProxyFixture start(String name, int groups, ServerConfig.AuthPlugin authPlugin) throws Exception {
        return start(name, groups, authPlugin, "");
    }

    /**
     * As {@link #start(String, int, ServerConfig.AuthPlugin)}, with {@code serverSettings} (YAML lines indented by two
     * spaces, each ending in a newline) added to the demo's {@code server:} section.
     */
    static ProxyFixture start(String name, int groups, ServerConfig.AuthPlugin authPlugin, String serverSettings)
            throws Exception {
        return start(name, groups, authPlugin, serverSettings, "");
    }

    /**
     * As {@link #start(String, int, ServerConfig.AuthPlugin, String)}, with {@code moreSchemas} (YAML list entries
     * indented by two spaces) added after the demo's schema {@code shop}; user {@code app} may use them all.
     */
    static ProxyFixture start(String name, int groups, ServerConfig.AuthPlugin authPlugin, String serverSettings,
                              String moreSchemas) throws Exception {
        return start(name, groups, authPlugin, serverSettings, moreSchemas, "");
    }

    /**
     * As {@link #start(String, int, ServerConfig.AuthPlugin, String, String)}, with {@code moreUsers} (YAML list
     * entries indented by four spaces) added before the demo's users {@code app} and {@code admin}.
     */
    static ProxyFixture start(String name, int groups, ServerConfig.AuthPlugin authPlugin, String serverSettings,
                              String moreSchemas, String moreUsers) throws Exception {
        Path dir = Path.of("target", "it-data", name).toAbsolutePath();
        EmbeddedCluster cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("mariadb"), groups, 1));
        try {
            try (Connection c = cluster.group("g0").primary().connect()) {
                c.createStatement().execute("CREATE DATABASE IF NOT EXISTS shop");
            }
            String yaml = DemoConfig.yaml("127.0.0.1", freePort(), freePort(), dir.resolve("proxy").toString(),
                    authPlugin, cluster.groups(), cluster.spec().user(), cluster.spec().password(), false)
                    .replace("\nserver:\n", "\nserver:\n" + serverSettings)
                    .replace("\ncdc:\n", "\n" + moreSchemas + "cdc:\n")
                    .replace("\n  users:\n", "\n  users:\n" + moreUsers);
            if (!moreSchemas.isEmpty()) {
                yaml = yaml.replace("schemas: [shop]", "schemas: [shop" + schemaNames(moreSchemas) + "]");
            }
            ShardwireConfig config = ConfigLoader.parse(withNativeBackendSwitch(yaml), name + ".yaml");
            return new ProxyFixture(cluster, ShardwireServer.start(config));
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * {@code groups} shard groups with {@code replicas} replicas each and a demo-configured proxy
     * that captures changes into its queue, started afresh: the schema databases of an earlier run
     * are dropped and its queue deleted. Returns once every group's capture reads its binlog; the
     * schema is then created through the proxy ({@code DemoSchema.create}).
     */
    static ProxyFixture startWithCapture(String name, int groups, int replicas) throws Exception {
        return startWithCapture(name, groups, replicas, "");
    }

    /** As {@link #startWithCapture(String, int, int)}, with more keys of the {@code cdc} section (indented YAML lines). */
    static ProxyFixture startWithCapture(String name, int groups, int replicas, String moreCdcYaml) throws Exception {
        Path dir = Path.of("target", "it-data", name).toAbsolutePath();
        EmbeddedCluster cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("mariadb"), groups, replicas));
        ShardwireServer proxy = null;
        try {
            dropSchemaDatabases(cluster);
            deleteRecursively(dir.resolve("proxy"));
            String yaml = DemoConfig.yaml("127.0.0.1", freePort(), freePort(), dir.resolve("proxy").toString(),
                    ServerConfig.AuthPlugin.MYSQL_NATIVE_PASSWORD, cluster.groups(), cluster.spec().user(),
                    cluster.spec().password(), true) + moreCdcYaml;
            proxy = ShardwireServer.start(ConfigLoader.parse(withNativeBackendSwitch(yaml), name + ".yaml"));
            proxy.captures().orElseThrow().awaitStreaming(Duration.ofMinutes(3));
            return new ProxyFixture(cluster, proxy);
        } catch (Exception | Error e) {
            if (proxy != null) {
                proxy.close();
            }
            cluster.close();
            throw e;
        }
    }

    /** Drops {@code shop} and every demo data node database on every primary. */
    static void dropSchemaDatabases(EmbeddedCluster cluster) throws SQLException {
        for (var group : cluster.groups()) {
            try (Connection c = group.primary().connect(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS shop");
                for (int node = 0; node < cluster.groups().size() * DemoConfig.NODES_PER_GROUP; node++) {
                    s.execute("DROP DATABASE IF EXISTS shop_" + node);
                }
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * A second proxy in front of the same shard groups, configured as the first but with its own ports and data
     * directory and {@code server.nativeBackend} as given; the caller closes it.
     */
    ShardwireServer secondProxy(String dataDir, boolean nativeBackend) {
        ShardwireConfig first = proxy.config();
        ServerConfig s = first.server();
        ServerConfig server = new ServerConfig(s.host(), freePort(), freePort(), Path.of(dataDir).toAbsolutePath(),
                s.authPlugin(), s.maxConnections(), s.users(), s.maxUserConnections(), s.idleTimeout(), s.tls(),
                s.maxAllowedPacket(), s.warmAuthCache(), nativeBackend, s.ioTransport(), s.busyPollMicros());
        QueueConfig q = first.queue();
        QueueConfig queue = new QueueConfig(server.dataDir().resolve("queue"), q.segmentBytes(), q.fsync(),
                q.fsyncIntervalMs(), q.retentionHours(), q.retentionBytes(), q.diskQuotaBytes(), q.bridges());
        return ShardwireServer.start(new ShardwireConfig(first.source(), server, first.shardGroups(), first.schemas(),
                first.cdc(), queue, first.router(), first.monitoring()));
    }

    /** A JDBC connection through the proxy. */
    Connection connect(String user, String password, String schema, String... properties) throws SQLException {
        return connect(proxy.port(), user, password, schema, properties);
    }

    /** A JDBC connection through a proxy listening on {@code port}; {@code properties} are name, value pairs. */
    static Connection connect(int port, String user, String password, String schema, String... properties)
            throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("sslMode", "DISABLED");
        props.setProperty("connectTimeout", "10000");
        for (int i = 0; i + 1 < properties.length; i += 2) {
            props.setProperty(properties[i], properties[i + 1]);
        }
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/" + schema, props);
    }

    /** A JDBC connection as {@code app} to schema {@code shop}. */
    Connection app() throws SQLException {
        return connect("app", "app", "shop");
    }

    private static String schemaNames(String schemas) {
        StringBuilder names = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^  - name: (\\S+)").matcher(schemas);
        while (m.find()) {
            names.append(", ").append(m.group(1));
        }
        return names.toString();
    }

    /**
     * The configuration with {@code server.nativeBackend} as the system property {@value #NATIVE_BACKEND_PROPERTY}
     * says, when it is set: the test classes run with the native backend path on (the default) and off.
     */
    static String withNativeBackendSwitch(String yaml) {
        String value = System.getProperty(NATIVE_BACKEND_PROPERTY);
        return value == null ? yaml
                : yaml.replace("\nserver:\n", "\nserver:\n  nativeBackend: " + Boolean.parseBoolean(value) + "\n");
    }

    static final String NATIVE_BACKEND_PROPERTY = "shardwire.it.nativeBackend";

    /**
     * Ports {@link #freePort} handed out in this JVM: the kernel may offer a port again once its probe socket is
     * closed, and a proxy given the same port twice (its MySQL and its HTTP port) fails to start.
     */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /** A port nothing listens on now, never one handed out before in this JVM. */
    static int freePort() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() {
        proxy.close();
        cluster.close();
    }
}
