package io.shardwire.proxy.backend;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.shardwire.config.DataSourceConfig;
import io.shardwire.config.ShardGroupConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.proxy.health.DataSourceHealth;
import io.shardwire.proxy.health.FailureMessage;
import io.shardwire.proxy.health.HealthMonitor;
import io.shardwire.proxy.health.HealthState;
import io.shardwire.proxy.topology.GroupTopology;
import io.shardwire.proxy.topology.Topology;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * HikariCP pools to the shard groups' primaries and replicas, one per data source and per affected-rows mode;
 * replicas are handed out for reads by {@link ReplicaRotation} and {@link ReplicaBalancer}.
 * MySQL reports "rows matched" or "rows changed" for an UPDATE depending on the client's
 * CLIENT_FOUND_ROWS flag, which is fixed per backend connection, so a pool serves one mode.
 *
 * <p>A statement that needs a group's primary gets a connection within the group's {@code failFastMs} or an error
 * that says why: the primary is DOWN by the health monitor (at once with manual failover), a failover runs and no new
 * primary came within the bound, or no connection could be made. The primary is the one the {@link Topology} names;
 * after a failover the old primary's pools are retired and closed, and {@link #isCurrent} tells sessions that a
 * connection they hold is to a former primary.
 *
 * <p>Thread-safe. Pools open lazily and never fail the proxy's start: a backend that is down
 * gives an error to the statements that need it, not to everyone.
 */
public final class BackendPools implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackendPools.class);
    private static final long CONNECTION_WAIT_SLICE_MS = 250;

    private final Map<String, ShardGroupConfig> groups = new LinkedHashMap<>();
    private final Map<PoolKey, HikariDataSource> pools = new ConcurrentHashMap<>();

    /** @param source 0 for the primary, 1.. for the replicas in configuration order */
    private record PoolKey(String group, int source, boolean foundRows) {
    }

    /** Pools of former primaries, closing: a connection from one must not take statements any more. */
    private final Set<HikariDataSource> retired = ConcurrentHashMap.newKeySet();
    private final MeterRegistry registry;
    private final HealthMonitor health;
    private final Topology topology;
    private final ReplicaRotation rotation;
    private final Map<String, ReplicaBalancer> balancers = new LinkedHashMap<>();

    /**
     * @param registry where each pool's HikariCP meters ({@code hikaricp_connections_*}, tagged by pool) and the
     *                 replicas' suspension counters go
     * @param health   whose last checks decide which replicas take reads and whether the primary is DOWN
     * @param topology which data source of each group is its primary now
     */
    public BackendPools(ShardwireConfig config, MeterRegistry registry, HealthMonitor health, Topology topology) {
        config.shardGroups().forEach(g -> groups.put(g.name(), g));
        config.shardGroups().forEach(g -> balancers.put(g.name(), new ReplicaBalancer(g)));
        this.registry = registry;
        this.health = health;
        this.topology = topology;
        this.rotation = new ReplicaRotation(health, topology, new ReplicaSuspensions(config.shardGroups(), registry));
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
            if (pool.getKey().group().equals(group) && pool.getKey().source() == topology.of(group).primary()
                    && bean != null) {
                active += bean.getActiveConnections();
                idle += bean.getIdleConnections();
                total += bean.getTotalConnections();
                waiting += bean.getThreadsAwaitingConnection();
            }
        }
        return new PoolUse(active, idle, total, waiting);
    }

    /**
     * A connection to the group's primary, within the group's {@code failFastMs}.
     *
     * @param group     shard group name (validated by the configuration)
     * @param foundRows whether UPDATE should report matched rather than changed rows
     * @throws SQLException naming the group and what happens (primary DOWN, failover running, no connection) when
     *     there is no usable primary within the bound
     */
    public BackendConnection primaryConnection(String group, boolean foundRows) throws SQLException {
        ShardGroupConfig config = groups.get(group);
        long bound = primaryWaitMs(group);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(bound);
        while (true) {
            GroupTopology roles = topology.of(group);
            DataSourceHealth primary = health.primaryHealth(group);
            boolean down = primary.state() == HealthState.DOWN;
            if (!roles.failingOver() && !down) {
                HikariDataSource pool = pools.computeIfAbsent(new PoolKey(group, roles.primary(), foundRows), this::open);
                // Waits in slices, so that a failover that retires this pool meanwhile sends the statement to the
                // new primary at once instead of at the end of the wait.
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                try {
                    return new BackendConnection(group, primary.address(),
                            ((HikariPool) pool.getHikariPoolMXBean()).getConnection(
                                    Math.max(1, Math.min(leftMs, CONNECTION_WAIT_SLICE_MS))), pool);
                } catch (SQLException e) {
                    if (System.nanoTime() - deadline >= 0) {
                        throw new SQLException("no connection to the primary " + primary.address() + " of shard group "
                                + group + " within failFastMs (" + bound + " ms): " + e.getMessage(), "HY000", e);
                    }
                    continue;
                }
            }
            if (!config.failover().automatic()) {
                throw new SQLException("the primary " + primary.address() + " of shard group " + group + " is DOWN ("
                        + primary.consecutiveFailures() + " failed heartbeats, last: " + primary.lastError().orElse("")
                        + "); failover is manual, so the group takes no writes until it answers again or an operator"
                        + " promotes a replica", "HY000");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SQLException((roles.failingOver()
                        ? "a failover of shard group " + group + " is in progress (its primary " + primary.address()
                                + " is DOWN)"
                        : "the primary " + primary.address() + " of shard group " + group + " is DOWN ("
                                + primary.lastError().orElse("") + "); automatic failover starts after "
                                + config.failover().failoverAfterMs() + " ms")
                        + " and no primary took statements within failFastMs (" + bound + " ms); retry", "HY000");
            }
            try {
                // Health and failover change state between rounds; polling is cheap next to a failover.
                Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 50));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the primary of shard group " + group, "HY000", e);
            }
        }
    }

    /**
     * The primary of the group's {@link #roles} if it may take a statement at once (UP by the last health round, no
     * failover running), for connections made outside these pools; empty when the pools' own wait and errors should
     * decide.
     */
    public Optional<DataSourceConfig> primaryIfUp(String group, GroupTopology roles) {
        if (roles.failingOver() || health.sourceHealth(group, roles.primary()).state() == HealthState.DOWN) {
            return Optional.empty();
        }
        return Optional.of(groups.get(group).source(roles.primary()));
    }

    /**
     * Whether a primary connection a session holds is still to the group's primary: false once a failover retired
     * the pool it came from.
     */
    public boolean isCurrent(BackendConnection connection) {
        return !retired.contains(connection.pool());
    }

    /**
     * Retires the pools to a data source that is no longer the group's primary: new statements get connections to
     * the new primary, sessions see {@link #isCurrent} false for what they hold, and the pools close in the
     * background (closing waits for borrowed connections to come back).
     */
    public void retirePrimary(String group, int source) {
        for (PoolKey key : List.copyOf(pools.keySet())) {
            if (key.group().equals(group) && key.source() == source) {
                HikariDataSource pool = pools.remove(key);
                if (pool != null) {
                    retired.add(pool);
                    Thread.ofVirtual().name("shardwire-retire-" + pool.getPoolName()).start(() -> {
                        pool.close();
                        retired.remove(pool);
                    });
                }
            }
        }
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
     * A replica of the group for a read the proxy runs over a connection of its own (the native path): the one the
     * group's balancer chooses among those in rotation, as {@link #replicaConnection} chooses; empty when none is in
     * rotation. The read counts as running on it (for {@code leastOutstanding}) until {@link ChosenReplica#done()}.
     */
    public Optional<ChosenReplica> chooseReplica(String group) {
        return chooseReplica(group, -1);
    }

    /** As {@link #chooseReplica(String)}, but the replica {@code preferred} (index from 0) if it is in rotation. */
    private Optional<ChosenReplica> chooseReplica(String group, int preferred) {
        ShardGroupConfig config = groups.get(group);
        List<Integer> candidates = rotation.inRotation(config);
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        ReplicaBalancer balancer = balancers.get(group);
        int replica = candidates.contains(preferred) ? preferred : balancer.choose(candidates);
        return Optional.of(new ChosenReplica(replica, config.replicas().get(replica), balancer.started(replica)));
    }

    /**
     * A replica {@link #chooseReplica} chose.
     *
     * @param index  the replica's index in the group's configuration, from 0
     * @param source the replica
     * @param done   ends the read on it; run once
     */
    public record ChosenReplica(int index, DataSourceConfig source, Runnable done) {
    }

    /**
     * The longest a read waits for a connection to one of the group's replicas: its {@code failFastMs}, or its
     * {@code pool.connectionTimeoutMs} when shorter.
     */
    public int replicaWaitMs(String group) {
        ShardGroupConfig config = groups.get(group);
        return (int) Math.min(config.failover().failFastMs(), config.pool().connectionTimeoutMs());
    }

    /** The longest a statement waits for a connection to the group's primary: its {@code failFastMs}. */
    public int primaryWaitMs(String group) {
        return (int) groups.get(group).failover().failFastMs();
    }

    /**
     * Takes a replica (index from 0) out of the read rotation until the health monitor's next successful check of
     * it: a read could not connect to it or log in there.
     */
    public void suspendReplica(String group, int replica, String reason) {
        rotation.suspend(group, replica, reason);
    }

    /**
     * A connection from the pool of one replica of the group (index from 0), waiting up to the group's
     * {@code pool.connectionTimeoutMs}: for statements that concern that server, such as a KILL QUERY of a read
     * running there.
     */
    public BackendConnection connectionToReplica(String group, int replica) throws SQLException {
        DataSourceConfig source = groups.get(group).replicas().get(replica);
        HikariDataSource pool = pools.computeIfAbsent(new PoolKey(group, replica + 1, false), this::open);
        return new BackendConnection(group, source.address(), pool.getConnection(), pool);
    }

    /**
     * A connection to a replica of the group in rotation (see {@link ReplicaRotation}), chosen by the group's
     * balancer; empty when none is in rotation or the chosen one gives no connection, so the read goes to the
     * primary. The wait is bounded like a primary's: by the group's {@code failFastMs}, or its
     * {@code pool.connectionTimeoutMs} when shorter. A replica whose pool's connects fail and which refuses (or does
     * not answer) a TCP connect of the read's own, or refuses a login of the read's own when it refused the pool's,
     * is suspended from the rotation at once, so the next reads do not wait for it too; a replica whose connections
     * are all busy is not: it answers, and the next read may find one free.
     *
     * @param preferred a replica (index from 0) to take instead of the balancer's choice if it is in rotation (one a
     *                  native read was chosen for and left to this path); -1 for none
     */
    public Optional<BackendConnection> replicaConnection(String group, int preferred, boolean foundRows) {
        ChosenReplica chosen = chooseReplica(group, preferred).orElse(null);
        if (chosen == null) {
            return Optional.empty();
        }
        int replica = chosen.index();
        DataSourceConfig source = chosen.source();
        HikariDataSource pool = pools.computeIfAbsent(new PoolKey(group, replica + 1, foundRows), this::open);
        long bound = replicaWaitMs(group);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(bound);
        Runnable done = chosen.done();
        boolean probed = false;
        while (true) {
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                // Waits in slices: HikariCP's wait goes on while its connects fail, and a slice's end tells of them.
                return Optional.of(new BackendConnection(group, source.address(),
                        ((HikariPool) pool.getHikariPoolMXBean()).getConnection(
                                Math.max(1, Math.min(leftMs, CONNECTION_WAIT_SLICE_MS))), pool, done));
            } catch (SQLException e) {
                // A timed-out wait carries the pool's last connect failure as its cause until a connect succeeds,
                // and HikariCP's connects back off up to 5 s apart: the failure may be from before a restart. A TCP
                // connect of this read's own tells whether the replica is unreachable now. Without a cause, the
                // pool's connections are busy.
                boolean timedOut = e instanceof SQLTransientConnectionException;
                if (timedOut && e.getCause() instanceof Exception failure && !probed) {
                    probed = true;
                    long probeMs = Math.max(leftMs, CONNECTION_WAIT_SLICE_MS);
                    Optional<String> unreachable = unreachable(source, probeMs);
                    if (unreachable.isEmpty() && failure instanceof SQLException refusal && refusal.getErrorCode() != 0) {
                        // The server answers but refused the pool's login (account locked, too many connections,
                        // host blocked): a login of this read's own tells whether it still does.
                        unreachable = refusesLogin(pool, source, probeMs);
                    }
                    if (unreachable.isPresent()) {
                        done.run();
                        rotation.suspend(group, replica, FailureMessage.firstLine(failure) + " (" + unreachable.get()
                                + ")");
                        return Optional.empty();
                    }
                }
                if (timedOut && System.nanoTime() - deadline < 0) {
                    continue;
                }
                done.run();
                log.warn("no connection to replica {} of shard group {} within {} ms; reading from the primary: {}",
                        source.address(), group, bound, e.getMessage());
                return Optional.empty();
            }
        }
    }

    /** Why a TCP connect to the data source fails within the timeout; empty when it is accepted. */
    private static Optional<String> unreachable(DataSourceConfig source, long timeoutMs) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(source.host(), source.port()), (int) Math.min(timeoutMs,
                    Integer.MAX_VALUE));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("TCP connect to " + source.address() + ": " + FailureMessage.firstLine(e));
        }
    }

    /**
     * Why a login of its own to the data source, with the pool's account and settings, is refused now (the server's
     * error); empty when it succeeds, or when the server does not answer within the timeout (no refusal, then).
     */
    private static Optional<String> refusesLogin(HikariDataSource pool, DataSourceConfig source, long timeoutMs) {
        Properties properties = new Properties();
        properties.putAll(pool.getDataSourceProperties());
        properties.setProperty("user", pool.getUsername());
        properties.setProperty("password", pool.getPassword());
        properties.setProperty("connectTimeout", Long.toString(timeoutMs));
        properties.setProperty("socketTimeout", Long.toString(timeoutMs));
        try (Connection ignored = DriverManager.getConnection(pool.getJdbcUrl(), properties)) {
            return Optional.empty();
        } catch (SQLException e) {
            return e.getErrorCode() == 0 ? Optional.empty()
                    : Optional.of("login to " + source.address() + ": " + FailureMessage.firstLine(e));
        }
    }

    /** The primary's address now, for error messages. */
    public String primaryAddress(String group) {
        return topology.primary(group).address();
    }

    /** The group's primary now. */
    public DataSourceConfig primary(String group) {
        return topology.primary(group);
    }

    /**
     * The group's roles now: its primary and fenced former primaries. Every change (a failover beginning or ending,
     * a promotion) replaces them, so roles read earlier are still the same instance exactly while nothing changed:
     * one look-up tells whether a primary taken from them is still the group's.
     */
    public GroupTopology roles(String group) {
        return topology.of(group);
    }

    private HikariDataSource open(PoolKey key) {
        ShardGroupConfig group = groups.get(key.group());
        DataSourceConfig primary = group.source(key.source());
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("shardwire-" + key.group() + (key.source() == 0 ? "-primary" : "-replica" + key.source())
                + (key.foundRows() ? "-foundrows" : ""));
        hikari.setJdbcUrl("jdbc:mysql://" + primary.host() + ":" + primary.port() + "/");
        hikari.setUsername(primary.user());
        hikari.setPassword(primary.password());
        hikari.setMaximumPoolSize(group.pool().maxSize());
        hikari.setMinimumIdle(Math.min(2, group.pool().maxSize()));
        // Not lowered to failFastMs here: HikariCP makes its connection timeout DriverManager's login timeout, for
        // the whole JVM. primaryConnection and replicaConnection bound their own waits.
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
        // A prepared execute's node SQL keeps its placeholders, so the same text recurs on a connection: its parse
        // (Connector/J's QueryInfo of a client-side statement) is kept per connection instead of redone each time;
        // 64 texts of up to 2 KiB each bound what a connection keeps.
        hikari.addDataSourceProperty("cachePrepStmts", "true");
        hikari.addDataSourceProperty("prepStmtCacheSize", "64");
        hikari.addDataSourceProperty("prepStmtCacheSqlLimit", "2048");
        hikari.addDataSourceProperty("cacheServerConfiguration", "true");
        hikari.addDataSourceProperty("maintainTimeStats", "false");
        // Rows stream (fetch size MIN_VALUE), and Connector/J by default wraps every streamed statement in two
        // round trips of SET net_write_timeout (600 s, then back): 36 of the 60 backend statements of a sysbench
        // oltp_read_only transaction. The connection gets the 600 s once instead, re-applied after each reset.
        hikari.addDataSourceProperty("netTimeoutForStreamingResults", "0");
        hikari.addDataSourceProperty("sessionVariables", "net_write_timeout=600");
        // Connector/J would ask the server for @@session.transaction_read_only before every write, a round trip
        // each: the proxy never calls setReadOnly, and a read-only transaction is the server's to enforce.
        hikari.addDataSourceProperty("useLocalSessionState", "true");
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
