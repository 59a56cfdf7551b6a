package io.shardwire.config;

import io.shardwire.config.QueueConfig.Fsync;
import io.shardwire.config.ServerConfig.AuthPlugin;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the YAML tree into the model records, applying defaults and checking every value and
 * cross reference. The format is documented on {@link ConfigLoader}.
 */
final class ConfigBinder {

    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9_]+");
    private static final IntRule PORT = IntRule.between(1, 65535);
    private static final IntRule POSITIVE = IntRule.atLeast(1);
    // MySQL's server_id is an unsigned 32-bit number.
    private static final IntRule SERVER_ID = IntRule.between(1, 4_294_967_295L);

    private final Path baseDir;

    /**
     * Creates a binder for one document.
     *
     * @param baseDir absolute directory that relative paths in the document resolve against
     */
    ConfigBinder(Path baseDir) {
        this.baseDir = baseDir;
    }

    /** The configuration described by the document's top-level mapping, named {@code source}. */
    ShardwireConfig bind(String source, YamlMap root) {
        root.onlyKeys("server", "shardGroups", "schemas", "cdc", "queue", "router", "monitoring");
        // Groups before schemas before users: each refers to names the previous one defines.
        List<ShardGroupConfig> groups = shardGroups(root.list("shardGroups"));
        Set<String> groupNames = new HashSet<>();
        groups.forEach(g -> groupNames.add(g.name()));
        List<SchemaConfig> schemas = new SchemaBinder(groupNames).schemas(root.list("schemas"));
        Set<String> schemaNames = new HashSet<>();
        schemas.forEach(s -> schemaNames.add(s.name()));
        ServerConfig server = server(root.map("server"), schemaNames);
        CdcConfig cdc = cdc(root.mapOrEmpty("cdc"));
        QueueConfig queue = queue(root.mapOrEmpty("queue"), server.dataDir());
        RouterConfig router = router(root.mapOrEmpty("router"));
        MonitoringConfig monitoring = monitoring(root.mapOrEmpty("monitoring"));
        return new ShardwireConfig(source, server, groups, schemas, cdc, queue, router, monitoring);
    }

    private ServerConfig server(YamlMap s, Set<String> schemaNames) {
        s.onlyKeys("host", "port", "httpPort", "dataDir", "authPlugin", "maxConnections", "maxUserConnections",
                "idleTimeoutSeconds", "maxAllowedPacket", "warmAuthCache", "tls", "requireSecureTransport", "users", "nativeBackend",
                "ioTransport", "busyPollMicros");
        String host = s.string("host", "127.0.0.1");
        int port = s.intValue("port", 3307, PORT);
        int httpPort = s.intValue("httpPort", 9066, PORT);
        // Both listeners bind to the same host.
        if (httpPort == port) {
            throw s.error("httpPort", "must differ from port (" + port + ")");
        }
        Path dataDir = directory(s, "dataDir", baseDir.resolve("shardwire-data"));
        AuthPlugin authPlugin = s.enumValue("authPlugin", AuthPlugin.MYSQL_NATIVE_PASSWORD);
        int maxConnections = s.intValue("maxConnections", 1024, POSITIVE);
        int maxUserConnections = s.intValue("maxUserConnections", 0, IntRule.atLeast(0));
        Duration idleTimeout = Duration.ofSeconds(s.longValue("idleTimeoutSeconds",
                ServerConfig.DEFAULT_IDLE_TIMEOUT.toSeconds(), IntRule.between(1, 31_536_000)));
        int maxAllowedPacket = s.intValue("maxAllowedPacket", ServerConfig.DEFAULT_MAX_ALLOWED_PACKET,
                IntRule.between(ServerConfig.MIN_MAX_ALLOWED_PACKET, ServerConfig.MAX_MAX_ALLOWED_PACKET));
        boolean warmAuthCache = s.bool("warmAuthCache", true);
        boolean nativeBackend = s.bool("nativeBackend", true);
        ServerConfig.IoTransport ioTransport = s.enumValue("ioTransport", ServerConfig.IoTransport.AUTO);
        int busyPollMicros = s.intValue("busyPollMicros", 0, IntRule.between(0, ServerConfig.MAX_BUSY_POLL_MICROS));
        TlsConfig tls = tls(s);
        List<UserConfig> users = users(s.list("users"), schemaNames);
        return new ServerConfig(host, port, httpPort, dataDir, authPlugin, maxConnections, users, maxUserConnections,
                idleTimeout, tls, maxAllowedPacket, warmAuthCache, nativeBackend, ioTransport, busyPollMicros);
    }

    private TlsConfig tls(YamlMap s) {
        YamlMap t = s.mapOrEmpty("tls");
        t.onlyKeys("enabled", "certificate", "privateKey");
        boolean enabled = t.bool("enabled", false);
        boolean requireSecure = s.bool("requireSecureTransport", false);
        if (requireSecure && !enabled) {
            throw s.error("requireSecureTransport", "needs tls.enabled: true");
        }
        boolean hasCertificate = !t.get("certificate").isAbsent();
        if (hasCertificate != !t.get("privateKey").isAbsent()) {
            throw t.error(hasCertificate ? "certificate" : "privateKey", "certificate and privateKey go together");
        }
        if (!hasCertificate) {
            return new TlsConfig(enabled, null, null, requireSecure);
        }
        return new TlsConfig(enabled, readableFile(t, "certificate"), readableFile(t, "privateKey"), requireSecure);
    }

    /** A file that exists and can be read, relative paths resolved against {@link #baseDir}. */
    private Path readableFile(YamlMap m, String key) {
        Path file = directory(m, key, null);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw m.error(key, "not a readable file: " + file);
        }
        return file;
    }

    private static List<UserConfig> users(List<YamlNode> nodes, Set<String> schemaNames) {
        List<UserConfig> users = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YamlNode node : nodes) {
            YamlMap u = node.asMap();
            u.onlyKeys("name", "password", "schemas", "admin", "consistency");
            String name = u.string("name");
            if (!names.add(name)) {
                throw u.error("name", "duplicate user '" + name + "'");
            }
            String password = u.maybeEmptyString("password");
            Set<String> schemas = new LinkedHashSet<>();
            for (YamlNode schemaNode : u.optionalList("schemas")) {
                String schema = schemaNode.asString();
                if (!schemaNames.contains(schema)) {
                    throw schemaNode.error("unknown schema '" + schema + "'");
                }
                if (!schemas.add(schema)) {
                    throw schemaNode.error("duplicate schema '" + schema + "'");
                }
            }
            ReadConsistency consistency = ReadConsistency.DEFAULT;
            if (!u.get("consistency").isAbsent()) {
                String level = u.string("consistency");
                consistency = ReadConsistency.parse(level).orElseThrow(
                        () -> u.error("consistency", "must be one of eventual, session, strong, not '" + level + "'"));
            }
            users.add(new UserConfig(name, password, schemas, u.bool("admin", false), consistency));
        }
        return users;
    }

    private static List<ShardGroupConfig> shardGroups(List<YamlNode> nodes) {
        List<ShardGroupConfig> groups = new ArrayList<>();
        Set<String> names = new HashSet<>();
        // host:port -> path of the data source that uses it: two entries for one server would
        // make the proxy treat one database as two shards or as its own replica.
        Map<String, String> addressUsers = new HashMap<>();
        for (YamlNode node : nodes) {
            YamlMap g = node.asMap();
            g.onlyKeys("name", "primary", "replicas", "pool", "reads", "failover", "failoverAfterMs", "failFastMs",
                    "topologyAccount", "replicationAccount");
            String name = g.identifier("name", GROUP_NAME);
            if (!names.add(name)) {
                throw g.error("name", "duplicate shard group '" + name + "'");
            }
            DataSourceConfig primary = dataSource(g.map("primary"), addressUsers);
            List<DataSourceConfig> replicas = new ArrayList<>();
            for (YamlNode replica : g.optionalList("replicas")) {
                replicas.add(dataSource(replica.asMap(), addressUsers));
            }
            groups.add(new ShardGroupConfig(name, primary, replicas, pool(g.mapOrEmpty("pool")),
                    reads(g.mapOrEmpty("reads")), failover(g, replicas.size())));
        }
        return groups;
    }

    private static FailoverConfig failover(YamlMap g, int replicas) {
        FailoverConfig defaults = FailoverConfig.DEFAULT;
        FailoverConfig.Mode mode = g.enumValue("failover", defaults.mode());
        FailoverConfig failover = new FailoverConfig(mode,
                g.longValue("failoverAfterMs", defaults.failoverAfterMs(), IntRule.atLeast(100)),
                g.longValue("failFastMs", defaults.failFastMs(), IntRule.between(250, 600_000)),
                account(g, "topologyAccount"), account(g, "replicationAccount"));
        if (failover.automatic()) {
            if (replicas == 0) {
                throw g.error("failover", "auto needs at least one replica to promote");
            }
            if (failover.topologyAccount().isEmpty()) {
                throw g.error("topologyAccount", "required with failover: auto (an account with READ_ONLY ADMIN and"
                        + " REPLICATION SLAVE ADMIN that promotes, re-points and fences servers)");
            }
            if (failover.replicationAccount().isEmpty()) {
                throw g.error("replicationAccount", "required with failover: auto (the account replicas log in to"
                        + " the new primary with)");
            }
        }
        return failover;
    }

    private static Optional<FailoverConfig.Account> account(YamlMap g, String key) {
        if (g.get(key).isAbsent()) {
            return Optional.empty();
        }
        YamlMap a = g.map(key);
        a.onlyKeys("user", "password");
        return Optional.of(new FailoverConfig.Account(a.string("user"), a.maybeEmptyString("password", "")));
    }

    private static DataSourceConfig dataSource(YamlMap d, Map<String, String> addressUsers) {
        d.onlyKeys("host", "port", "user", "password", "weight");
        DataSourceConfig source = new DataSourceConfig(
                d.string("host", "127.0.0.1"),
                d.intValue("port", PORT),
                d.string("user"),
                d.maybeEmptyString("password", ""),
                d.intValue("weight", 1, IntRule.between(1, 1000)));
        // Host names are compared as written (case-insensitively); no DNS lookups at load time.
        String address = source.host().toLowerCase(Locale.ROOT) + ":" + source.port();
        String firstUser = addressUsers.putIfAbsent(address, d.path());
        if (firstUser != null) {
            throw d.error("data source " + source.address() + " is already used by " + firstUser);
        }
        return source;
    }

    private static ReadSplitConfig reads(YamlMap r) {
        r.onlyKeys("fromReplicas", "balancer", "maxReplicaLagMs", "gtidWaitTimeoutMs");
        ReadSplitConfig defaults = ReadSplitConfig.DEFAULT;
        ReadSplitConfig.Balancer balancer = defaults.balancer();
        if (!r.get("balancer").isAbsent()) {
            String name = r.string("balancer");
            balancer = ReadSplitConfig.Balancer.parse(name).orElseThrow(() -> r.error("balancer",
                    "must be one of roundRobin, weighted, leastOutstanding, not '" + name + "'"));
        }
        return new ReadSplitConfig(
                r.bool("fromReplicas", defaults.fromReplicas()),
                balancer,
                r.longValue("maxReplicaLagMs", defaults.maxReplicaLagMs(), IntRule.atLeast(0).orMinusOne()),
                r.longValue("gtidWaitTimeoutMs", defaults.gtidWaitTimeoutMs(), IntRule.between(1, 60_000)));
    }

    private static PoolConfig pool(YamlMap p) {
        p.onlyKeys("maxSize", "connectionTimeoutMs");
        return new PoolConfig(
                p.intValue("maxSize", PoolConfig.DEFAULT.maxSize(), POSITIVE),
                p.longValue("connectionTimeoutMs", PoolConfig.DEFAULT.connectionTimeoutMs(), IntRule.atLeast(250)));
    }

    private static CdcConfig cdc(YamlMap c) {
        c.onlyKeys("enabled", "user", "password", "serverIdBase", "partitioning", "keyPartitions",
                "replicaAckTimeoutMs");
        return new CdcConfig(
                c.bool("enabled", false),
                c.string("user", "shardwire_cdc"),
                c.maybeEmptyString("password", "shardwire_cdc"),
                c.longValue("serverIdBase", 5400, SERVER_ID),
                c.enumValue("partitioning", CdcConfig.Partitioning.GROUP),
                c.intValue("keyPartitions", CdcConfig.DEFAULT_KEY_PARTITIONS, IntRule.between(1, 1024)),
                c.longValue("replicaAckTimeoutMs", CdcConfig.DEFAULT_REPLICA_ACK_TIMEOUT_MS, IntRule.atLeast(0)));
    }

    private static RouterConfig router(YamlMap r) {
        r.onlyKeys("maxMemoryMergeRows", "maxMemoryMergeBytes", "workerId", "textPlanCacheSize");
        return new RouterConfig(
                r.longValue("maxMemoryMergeRows", RouterConfig.DEFAULT.maxMemoryMergeRows(), POSITIVE),
                r.longValue("maxMemoryMergeBytes", RouterConfig.DEFAULT.maxMemoryMergeBytes(), IntRule.atLeast(1024)),
                r.intValue("workerId", RouterConfig.DEFAULT.workerId(), IntRule.between(0, 1023)),
                r.intValue("textPlanCacheSize", RouterConfig.DEFAULT.textPlanCacheSize(), IntRule.between(0, 1_000_000)));
    }

    private static MonitoringConfig monitoring(YamlMap m) {
        m.onlyKeys("heartbeatIntervalMs", "heartbeatTimeoutMs", "downAfterFailedChecks", "slowQueryMs");
        MonitoringConfig defaults = MonitoringConfig.DEFAULT;
        long interval = m.longValue("heartbeatIntervalMs", defaults.heartbeatIntervalMs(), IntRule.atLeast(100));
        // A check that may last longer than the pause between checks would report a stale state as current.
        long timeout = m.longValue("heartbeatTimeoutMs", Math.min(defaults.heartbeatTimeoutMs(), interval),
                new IntRule(v -> v >= 100 && v <= interval, "an integer in 100..heartbeatIntervalMs (" + interval + ")"));
        int downAfter = m.intValue("downAfterFailedChecks", defaults.downAfterFailedChecks(), IntRule.between(1, 100));
        long slow = m.longValue("slowQueryMs", defaults.slowQueryMs(), IntRule.atLeast(0).orMinusOne());
        return new MonitoringConfig(interval, timeout, downAfter, slow);
    }

    private QueueConfig queue(YamlMap q, Path serverDataDir) {
        q.onlyKeys("dataDir", "segmentBytes", "fsync", "fsyncIntervalMs", "retentionHours", "retentionBytes",
                "diskQuotaBytes", "bridges");
        Path dataDir = directory(q, "dataDir", serverDataDir.resolve("queue"));
        long segmentBytes = q.longValue("segmentBytes", 128L << 20, IntRule.atLeast(1L << 20));
        Fsync fsync = q.enumValue("fsync", Fsync.BATCH);
        long fsyncIntervalMs = q.longValue("fsyncIntervalMs", 1000, POSITIVE);
        long retentionHours = q.longValue("retentionHours", 168, POSITIVE.orMinusOne());
        // A limit below one segment could only be met by deleting the segment being written.
        IntRule atLeastOneSegment = new IntRule(
                v -> v >= segmentBytes, "an integer >= segmentBytes (" + segmentBytes + ")");
        long retentionBytes = q.longValue("retentionBytes", -1, atLeastOneSegment.orMinusOne());
        // A quota below one segment could never be met while a partition writes its first segment.
        long diskQuotaBytes = q.longValue("diskQuotaBytes", -1, atLeastOneSegment.orMinusOne());
        return new QueueConfig(dataDir, segmentBytes, fsync, fsyncIntervalMs, retentionHours, retentionBytes,
                diskQuotaBytes, new BridgesBinder().bridges(q.mapOrEmpty("bridges")));
    }

    /** A path, relative ones resolved against {@link #baseDir}, or {@code fallback} if absent. */
    private Path directory(YamlMap m, String key, Path fallback) {
        if (m.get(key).isAbsent()) {
            return fallback;
        }
        String text = m.string(key);
        try {
            return baseDir.resolve(text).normalize();
        } catch (InvalidPathException e) {
            throw m.error(key, "not a valid path: " + e.getReason());
        }
    }
}
