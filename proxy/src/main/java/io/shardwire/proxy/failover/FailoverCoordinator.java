package io.shardwire.proxy.failover;

import io.micrometer.core.instrument.Counter;
import io.shardwire.cdc.ChangeCaptures;
import io.shardwire.cdc.GroupSource;
import io.shardwire.config.DataSourceConfig;
import io.shardwire.config.FailoverConfig;
import io.shardwire.config.ShardGroupConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.proxy.backend.BackendPools;
import io.shardwire.proxy.cdc.CaptureSources;
import io.shardwire.proxy.health.DataSourceHealth;
import io.shardwire.proxy.health.FailureMessage;
import io.shardwire.proxy.health.GtidPosition;
import io.shardwire.proxy.health.HealthMonitor;
import io.shardwire.proxy.health.HealthState;
import io.shardwire.proxy.topology.GroupTopology;
import io.shardwire.proxy.topology.Topology;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the health monitor's rounds and acts on them. For a group with {@code failover: auto} whose primary has
 * been DOWN for {@code failoverAfterMs}: each healthy replica stops fetching and applies its relay log, the one with
 * the most advanced GTID position is promoted ({@code STOP SLAVE}, {@code RESET SLAVE ALL}, {@code read_only=OFF}),
 * the new topology is written to the data dir, the old primary's pools are retired (sessions' connections to it end),
 * the other replicas follow the new primary by GTID, and the group's change capture moves to it. For every group, a
 * fenced former primary that answers again gets {@code read_only=ON}, and a replica the failover left stranded (it
 * was DOWN, or its re-point failed) is re-pointed when it answers again ({@link StrandedReplicas}). Each step is
 * logged.
 *
 * <p>A failover runs on a virtual thread of its own, one per group at a time; the health rounds go on meanwhile.
 */
public final class FailoverCoordinator {

    private static final Logger log = LoggerFactory.getLogger(FailoverCoordinator.class);

    /** How long a replica may take to apply its relay log before the positions are compared as they are. */
    private static final Duration RELAY_LOG_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final List<ShardGroupConfig> groups;
    private final HealthMonitor health;
    private final Topology topology;
    private final BackendPools pools;
    private final Supplier<Optional<ChangeCaptures>> captures;
    private final Counter failovers;
    private final long connectTimeoutMs;
    /** Per group, since when (System.nanoTime) its primary has been seen DOWN without a break. */
    private final Map<String, Long> downSince = new ConcurrentHashMap<>();
    /** Fenced sources that were fenced and answered every check since: not asked again until a check fails. */
    private final Set<String> fencedAndUp = ConcurrentHashMap.newKeySet();
    private final StrandedReplicas stranded;

    private FailoverCoordinator(ShardwireConfig config, HealthMonitor health, Topology topology, BackendPools pools,
                                Supplier<Optional<ChangeCaptures>> captures, Counter failovers) {
        this.groups = config.shardGroups();
        this.health = health;
        this.topology = topology;
        this.pools = pools;
        this.captures = captures;
        this.failovers = failovers;
        this.connectTimeoutMs = config.monitoring().heartbeatTimeoutMs();
        this.stranded = new StrandedReplicas(health, topology, connectTimeoutMs);
    }

    /** Acts after every health round from now on. */
    public static FailoverCoordinator start(ShardwireConfig config, HealthMonitor health, Topology topology,
                                            BackendPools pools, Supplier<Optional<ChangeCaptures>> captures,
                                            Counter failovers) {
        FailoverCoordinator coordinator = new FailoverCoordinator(config, health, topology, pools, captures, failovers);
        health.afterEachRound(coordinator::afterRound);
        return coordinator;
    }

    private void afterRound() {
        for (ShardGroupConfig group : groups) {
            GroupTopology roles = topology.of(group.name());
            fenceReturned(group, roles);
            if (roles.failingOver()) {
                continue;
            }
            stranded.repointReturned(group, roles);
            if (!group.failover().automatic()) {
                continue;
            }
            DataSourceHealth primary = health.primaryHealth(group.name());
            if (primary.state() != HealthState.DOWN) {
                downSince.remove(group.name());
                continue;
            }
            long now = System.nanoTime();
            long since = downSince.computeIfAbsent(group.name(), g -> now);
            if (Duration.ofNanos(now - since).toMillis() >= group.failover().failoverAfterMs()) {
                topology.beginFailover(group.name());
                Thread.ofVirtual().name("shardwire-failover-" + group.name()).start(() -> failover(group, primary));
            }
        }
    }

    /** Sets read_only=ON on every fenced former primary that answers the health check. */
    private void fenceReturned(ShardGroupConfig group, GroupTopology roles) {
        Optional<FailoverConfig.Account> account = group.failover().topologyAccount();
        for (int source : roles.fenced()) {
            DataSourceConfig former = group.source(source);
            String key = group.name() + "/" + source;
            if (!health.sourceHealth(group.name(), source).lastCheckSucceeded()) {
                fencedAndUp.remove(key);
                continue;
            }
            if (account.isEmpty() || fencedAndUp.contains(key)) {
                continue;
            }
            try {
                if (new TopologyCommands(account.get(), connectTimeoutMs).fence(former)) {
                    log.warn("shard group {}: former primary {} answers again and was writable; set read_only=ON (it"
                            + " stays fenced, out of the rotation; see docs/operations.md to make it a replica)",
                            group.name(), former.address());
                }
                fencedAndUp.add(key);
            } catch (SQLException e) {
                log.warn("shard group {}: could not fence former primary {} (read_only=ON): {}", group.name(),
                        former.address(), FailureMessage.firstLine(e));
            }
        }
    }

    private void failover(ShardGroupConfig group, DataSourceHealth deadPrimary) {
        String name = group.name();
        long started = System.nanoTime();
        FailoverConfig settings = group.failover();
        TopologyCommands commands = new TopologyCommands(settings.topologyAccount().orElseThrow(), connectTimeoutMs);
        int old = topology.of(name).primary();
        DataSourceConfig oldPrimary = group.source(old);
        log.warn("shard group {}: primary {} DOWN for {} ms ({}); failing over", name, oldPrimary.address(),
                settings.failoverAfterMs(), deadPrimary.lastError().orElse(""));
        try {
            try {
                commands.fence(oldPrimary);
                log.warn("shard group {}: old primary {} still answers the topology account; set read_only=ON", name,
                        oldPrimary.address());
            } catch (SQLException e) {
                log.info("shard group {}: old primary {} does not answer ({}); it is fenced if it comes back", name,
                        oldPrimary.address(), FailureMessage.firstLine(e));
            }
            Map<Integer, GtidPosition> positions = drainedPositions(group, commands);
            if (positions.isEmpty()) {
                log.error("shard group {}: no healthy replica to promote; its writes fail until the primary {} is"
                        + " back or a replica answers (next try in {} ms)", name, oldPrimary.address(),
                        settings.failoverAfterMs());
                return;
            }
            int chosen = mostAdvanced(positions);
            DataSourceConfig newPrimary = group.source(chosen);
            log.warn("shard group {}: promoting {} (GTID position {}; replicas: {})", name, newPrimary.address(),
                    positions.get(chosen).text(), describe(group, positions));
            Set<Integer> unreached = new HashSet<>();
            for (int source = 0; source < group.sourceCount(); source++) {
                if (topology.of(name).follower(source) && !positions.containsKey(source)) {
                    unreached.add(source);
                }
            }
            commands.promote(newPrimary);
            topology.promote(name, chosen, unreached);
            for (int source : unreached) {
                log.warn("shard group {}: replica {} was not reached; stranded (out of the read rotation) until it"
                        + " answers and is re-pointed to {}", name, group.source(source).address(), newPrimary.address());
            }
            pools.retirePrimary(name, old);
            log.warn("shard group {}: {} is the primary (STOP SLAVE, RESET SLAVE ALL, read_only=OFF; topology"
                    + " written); connections to {} retired", name, newPrimary.address(), oldPrimary.address());
            for (int source : positions.keySet()) {
                if (source != chosen) {
                    repoint(group, commands, source, newPrimary);
                }
            }
            failovers.increment();
            log.warn("shard group {}: failover from {} to {} done in {} ms", name, oldPrimary.address(),
                    newPrimary.address(), Duration.ofNanos(System.nanoTime() - started).toMillis());
            moveCapture(group, newPrimary);
        } catch (SQLException | IOException | RuntimeException e) {
            log.error("shard group {}: failover failed: {} (next try in {} ms)", name, e.getMessage(),
                    settings.failoverAfterMs(), e);
        } finally {
            // Whatever the outcome, the next try waits for a whole window again.
            downSince.put(name, System.nanoTime());
            topology.endFailover(name);
        }
    }

    /** Every healthy follower's applied position once it drained its relay log; those that fail are left out. */
    private Map<Integer, GtidPosition> drainedPositions(ShardGroupConfig group, TopologyCommands commands) {
        GroupTopology roles = topology.of(group.name());
        Map<Integer, GtidPosition> positions = new ConcurrentHashMap<>();
        List<Thread> draining = new ArrayList<>();
        for (int source = 0; source < group.sourceCount(); source++) {
            if (!roles.follower(source) || !health.sourceHealth(group.name(), source).lastCheckSucceeded()) {
                continue;
            }
            int candidate = source;
            draining.add(Thread.ofVirtual().start(() -> {
                try {
                    positions.put(candidate, commands.drainRelayLog(group.source(candidate), RELAY_LOG_DRAIN_TIMEOUT));
                } catch (SQLException e) {
                    log.warn("shard group {}: replica {} left out of the promotion: {}", group.name(),
                            group.source(candidate).address(), FailureMessage.firstLine(e));
                }
            }));
        }
        for (Thread thread : draining) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return positions;
    }

    /** The source no other is ahead of; if positions diverged, the one with the most transactions. */
    static int mostAdvanced(Map<Integer, GtidPosition> positions) {
        int best = -1;
        for (Map.Entry<Integer, GtidPosition> candidate : positions.entrySet()) {
            if (best < 0 || ahead(candidate.getValue(), positions.get(best))
                    || (candidate.getKey() < best && !ahead(positions.get(best), candidate.getValue()))) {
                best = candidate.getKey();
            }
        }
        return best;
    }

    /** Whether {@code a} has transactions {@code b} has not, and not the other way round. */
    private static boolean ahead(GtidPosition a, GtidPosition b) {
        long aAhead = a.transactionsAhead(b);
        long bAhead = b.transactionsAhead(a);
        return aAhead > bAhead;
    }

    private void repoint(ShardGroupConfig group, TopologyCommands commands, int source, DataSourceConfig newPrimary) {
        DataSourceConfig replica = group.source(source);
        try {
            commands.follow(replica, newPrimary, group.failover().replicationAccount().orElseThrow());
            log.warn("shard group {}: replica {} now follows {} by GTID", group.name(), replica.address(),
                    newPrimary.address());
        } catch (SQLException e) {
            log.error("shard group {}: could not re-point replica {} to {}: {}; stranded (out of the read rotation)"
                    + " until it is re-pointed when it answers", group.name(), replica.address(), newPrimary.address(),
                    FailureMessage.firstLine(e));
            stranded.strand(group, source);
        }
    }

    /** Restarts the group's capture on its new primary, waiting for the replicas that follow that one now. */
    private void moveCapture(ShardGroupConfig group, DataSourceConfig newPrimary) {
        Optional<ChangeCaptures> running = captures.get();
        if (running.isEmpty()) {
            return;
        }
        GroupSource source = CaptureSources.of(group, topology.of(group.name()));
        try {
            running.get().moveTo(source);
            log.warn("shard group {}: change capture restarted on {}, resuming by GTID (replicas acknowledging: {})",
                    group.name(), newPrimary.address(), source.replicas());
        } catch (RuntimeException e) {
            log.error("shard group {}: could not restart the change capture on {}: {}", group.name(),
                    newPrimary.address(), e.getMessage(), e);
        }
    }

    private static String describe(ShardGroupConfig group, Map<Integer, GtidPosition> positions) {
        List<String> all = new ArrayList<>();
        new HashSet<>(positions.keySet()).stream().sorted().forEach(s ->
                all.add(group.source(s).address() + " at " + positions.get(s).text()));
        return String.join(", ", all);
    }
}
