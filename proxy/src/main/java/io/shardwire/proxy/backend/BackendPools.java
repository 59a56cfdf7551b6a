package io.shardwire.proxy.backend;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.shardwire.config.DataSourceConfig;
import io.shardwire.config.ShardGroupConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.proxy.health.HealthMonitor;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HikariCP pools to the shard groups' primaries and replicas, one per data source and per affected-rows mode;
 * replicas are handed out for reads by {@link ReplicaRotation} and {@link ReplicaBalancer}.
 * MySQL reports "rows matched" or "rows changed" for an UPDATE depending on the client's
 * CLIENT_FOUND_ROWS flag, which is fixed per backend connection, so a pool serves one mode.
 *
 * <p>Thread-safe. Pools open lazily and never fail the proxy's start: a backend that is down
 * gives an error to the statements that need it, not to everyone.
 */
public final class BackendPools implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackendPools.class);

    private final Map<String, ShardGroupConfig> groups = new LinkedHashMap<>();
    private final Map<PoolKey, HikariDataSource> pools = new ConcurrentHashMap<>();

    /** @param source 0 for the primary, 1.. for the replicas in configuration order */
    private record PoolKey(String group, int source, boolean foundRows) {
    }

    private final MeterRegistry registry;
    private final ReplicaRotation rotation;
    private final Map<String, ReplicaBalancer> balancers = new LinkedHashMap<>();

    /**
     * @param registry where each pool's HikariCP meters ({@code hikaricp_connections_*}, tagged by pool) go
     * @param health   whose last checks decide which replicas take reads
     */
    public BackendPools(ShardwireConfig config, MeterRegistry registry, HealthMonitor health) {
        config.shardGroups().forEach(g -> groups.put(g.name(), g));
        config.shardGroups().forEach(g -> balancers.put(g.name(), new ReplicaBalancer(g)));
        this.registry = registry;
        this.rotation = new ReplicaRotation(health);
    }

    /** Connections to a group's primary now, over its pools (one per affected-rows mode). */
    public record PoolUse(int active, int idle, int total, int waiting) {
    }

    /** The use of the pools to a group's primary; zeros while none is open yet. */
    public PoolUse primaryUse(String group) {
        int active = 0;
        int idle = 0;
        int total = 0;
        int waiting = 0;
        for (Map.Entry<PoolKey, HikariDataSource> pool : pools.entrySet()) {
            HikariPoolMXBean bean = pool.getValue().getHikariPoolMXBean();
            if (pool.getKey().group().equals(group) && pool.getKey().source() == 0 && bean != null) {
                active += bean.getActiveConnections();
                idle += bean.getIdleConnections();
                total += bean.getTotalConnections();
                waiting += bean.getThreadsAwaitingConnection();
            }
        }
        return new PoolUse(active, idle, total, waiting);
    }

    /**
     * A connection to the group's primary.
     *
     * @param group     shard group name (validated by the configuration)
     * @param foundRows whether UPDATE should report matched rather than changed rows
     * @throws SQLException when the pool has no connection within its timeout or the server is down
     */
    public BackendConnection primaryConnection(String group, boolean foundRows) throws SQLException {
        HikariDataSource pool = pools.computeIfAbsent(new PoolKey(group, 0, foundRows), this::open);
        return new BackendConnection(group, primaryAddress(group), pool.getConnection(), pool);
    }

    /** Whether the group's configuration sends autocommit reads to replicas. */
    public boolean readsFromReplicas(String group) {
        ShardGroupConfig config = groups.get(group);
        return config.reads().fromReplicas() && !config.replicas().isEmpty();
    }

    /** The group's read settings. */
    public ShardGroupConfig group(String group) {
        return groups.get(group);
    }

    /**
     * A connection to a replica of the group in rotation (see {@link ReplicaRotation}), chosen by the group's
     * balancer; empty when none is in rotation or the chosen one gives no connection, so the read goes to the
     * primary.
     */
    public Optional<BackendConnection> replicaConnection(String group, boolean foundRows) {
        ShardGroupConfig config = groups.get(group);
        List<Integer> candidates = rotation.inRotation(config);
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        ReplicaBalancer balancer = balancers.get(group);
        int replica = balancer.choose(candidates);
        HikariDataSource pool = pools.computeIfAbsent(new PoolKey(group, replica + 1, foundRows), this::open);
        Runnable done = balancer.started(replica);
        try {
            return Optional.of(new BackendConnection(group, config.replicas().get(replica).address(),
                    pool.getConnection(), pool, done));
        } catch (SQLException e) {
            done.run();
            log.warn("no connection to replica {} of shard group {}; reading from the primary: {}",
                    config.replicas().get(replica).address(), group, e.getMessage());
            return Optional.empty();
        }
    }

    /** The primary's address, for error messages. */
    public String primaryAddress(String group) {
        return groups.get(group).primary().address();
    }

    private HikariDataSource open(PoolKey key) {
        ShardGroupConfig group = groups.get(key.group());
        DataSourceConfig primary = key.source() == 0 ? group.primary() : group.replicas().get(key.source() - 1);
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("shardwire-" + key.group() + (key.source() == 0 ? "-primary" : "-replica" + key.source())
                + (key.foundRows() ? "-foundrows" : ""));
        hikari.setJdbcUrl("jdbc:mysql://" + primary.host() + ":" + primary.port() + "/");
        hikari.setUsername(primary.user());
        hikari.setPassword(primary.password());
        hikari.setMaximumPoolSize(group.pool().maxSize());
        hikari.setMinimumIdle(Math.min(2, group.pool().maxSize()));
        hikari.setConnectionTimeout(group.pool().connectionTimeoutMs());
        // Do not fail the proxy when a backend is down at start; sessions get the error instead.
        hikari.setInitializationFailTimeout(-1);
        hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        hikari.addDataSourceProperty("sslMode", "DISABLED");
        hikari.addDataSourceProperty("allowPublicKeyRetrieval", "true");
        hikari.addDataSourceProperty("characterEncoding", "UTF-8");
        hikari.addDataSourceProperty("connectionCollation", "utf8mb4_general_ci");
        hikari.addDataSourceProperty("useAffectedRows", String.valueOf(!key.foundRows()));
        // Text protocol, one statement per call: the proxy forwards what the client sent.
        hikari.addDataSourceProperty("useServerPrepStmts", "false");
        hikari.addDataSourceProperty("allowMultiQueries", "false");
        hikari.addDataSourceProperty("cacheServerConfiguration", "true");
        hikari.addDataSourceProperty("maintainTimeStats", "false");
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        hikari.addDataSourceProperty("connectTimeout", "5000");
        return new HikariDataSource(hikari);
    }

    /** Backend connections now borrowed from the pools (in use by sessions), over all groups. */
    public int activeConnections() {
        return pools.values().stream().mapToInt(pool -> pool.getHikariPoolMXBean().getActiveConnections()).sum();
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }
}
