package io.shardwire.proxy.health;

import io.shardwire.config.DataSourceConfig;
import io.shardwire.config.MonitoringConfig;
import io.shardwire.config.ShardGroupConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.proxy.topology.GroupTopology;
import io.shardwire.proxy.topology.Topology;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every data source of every shard group (the primary the {@link Topology} names, then the others, which are
 * compared with the primary's GTID position of the same round) every {@code monitoring.heartbeatIntervalMs}, each check bounded by
 * {@code monitoring.heartbeatTimeoutMs}. Groups are checked in parallel on virtual threads, so one dead host delays
 * no other group. A data source is DOWN after {@code monitoring.downAfterFailedChecks} failed checks in a row, or at
 * once when its server refuses the connection (see {@link DataSourceHealth#failed}). A change of state is logged
 * once, not every round, and so is the first failed check of a source that is not DOWN yet.
 *
 * <p>Thread-safe: {@link #snapshot()} may be read from any thread while rounds run.
 */
public final class HealthMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    private final List<ShardGroupConfig> groups;
    private final MonitoringConfig settings;
    private final HealthProbe probe;
    private final Topology topology;
    private final Clock clock;
    private volatile Runnable afterRound = () -> { };
    /** Set by {@link #close}: a check it interrupts fails for that, not for its data source. */
    private volatile boolean closing;
    /** Data sources in configuration order: per group the primary, then its replicas. */
    private final AtomicReferenceArray<DataSourceHealth> states;
    private final int[] firstIndexOfGroup;
    /**
     * {@link #firstIndexOfGroup} by group name, not changed after construction: a native execute asks its group's
     * primary's health by name, in one lookup instead of a scan of the groups.
     */
    private final Map<String, Integer> firstIndexByName;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService checks = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("shardwire-health-check-", 0).factory());

    private HealthMonitor(ShardwireConfig config, Topology topology, Clock clock) {
        this.groups = config.shardGroups();
        this.topology = topology;
        this.settings = config.monitoring();
        this.probe = new HealthProbe(settings.heartbeatTimeoutMs());
        this.clock = clock;
        List<DataSourceHealth> initial = new ArrayList<>();
        this.firstIndexOfGroup = new int[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            ShardGroupConfig group = groups.get(g);
            firstIndexOfGroup[g] = initial.size();
            GroupTopology roles = topology.of(group.name());
            for (int source = 0; source < group.sourceCount(); source++) {
                DataSourceRole role = source == roles.primary() ? DataSourceRole.PRIMARY : followerRole(roles, source);
                initial.add(DataSourceHealth.unknown(group.name(), role, source, group.source(source).address()));
            }
        }
        this.states = new AtomicReferenceArray<>(initial.toArray(DataSourceHealth[]::new));
        Map<String, Integer> byName = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            byName.put(groups.get(g).name(), firstIndexOfGroup[g]);
        }
        this.firstIndexByName = byName;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("shardwire-health").daemon().factory());
    }

    /** Starts checking at once, then every interval (measured from the end of a round, so rounds never overlap). */
    public static HealthMonitor start(ShardwireConfig config, Topology topology, Clock clock) {
        HealthMonitor monitor = new HealthMonitor(config, topology, clock);
        monitor.scheduler.scheduleWithFixedDelay(monitor::round, 0, monitor.settings.heartbeatIntervalMs(),
                TimeUnit.MILLISECONDS);
        return monitor;
    }

    /** Every data source's last known health, in configuration order (per group: primary, then replicas). */
    public List<DataSourceHealth> snapshot() {
        List<DataSourceHealth> all = new ArrayList<>(states.length());
        for (int i = 0; i < states.length(); i++) {
            all.add(states.get(i));
        }
        return all;
    }

    /** The last known health of a group's replica ({@code replica} counts from 0 in configuration order). */
    public DataSourceHealth replicaHealth(String group, int replica) {
        return sourceHealth(group, replica + 1);
    }

    /** The last known health of a group's data source (0 the configured primary, 1.. its replicas). */
    public DataSourceHealth sourceHealth(String group, int source) {
        Integer first = firstIndexByName.get(group);
        if (first == null) {
            throw new IllegalArgumentException("no shard group " + group);
        }
        return states.get(first + source);
    }

    /** The last known health of the group's primary now. */
    public DataSourceHealth primaryHealth(String group) {
        return sourceHealth(group, topology.of(group).primary());
    }

    /** Runs after every round (on the health thread): failover decisions read the round just ended. */
    public void afterEachRound(Runnable listener) {
        this.afterRound = listener;
    }

    /** The last known health of the data source at this position of {@link #snapshot()}. */
    public DataSourceHealth health(int index) {
        return states.get(index);
    }

    /** Runs one round of checks now, on the calling thread; for tests and for the scheduler. */
    void round() {
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int g = 0; g < groups.size(); g++) {
                int group = g;
                running.add(checks.submit(() -> checkGroup(group)));
            }
            for (Future<?> future : running) {
                future.get();
            }
            afterRound.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // A round must never end the schedule: later rounds would not run.
            log.error("health check round failed", e);
        }
    }

    private void checkGroup(int g) {
        ShardGroupConfig group = groups.get(g);
        GroupTopology roles = topology.of(group.name());
        int first = firstIndexOfGroup[g];
        int primary = first + roles.primary();
        GtidPosition primaryPosition = null;
        try {
            primaryPosition = probe.checkPrimary(group.source(roles.primary()));
            record(primary, states.get(primary).as(DataSourceRole.PRIMARY).up(clock.instant(), Optional.empty()));
        } catch (SQLException | RuntimeException e) {
            recordFailure(primary, states.get(primary).as(DataSourceRole.PRIMARY), e);
        }
        for (int s = 0; s < group.sourceCount(); s++) {
            if (s == roles.primary()) {
                continue;
            }
            DataSourceConfig source = group.source(s);
            int index = first + s;
            DataSourceRole role = followerRole(roles, s);
            try {
                ReplicaLag lag = probe.checkReplica(source, primaryPosition);
                record(index, states.get(index).as(role).up(clock.instant(), Optional.of(lag)));
            } catch (SQLException | RuntimeException e) {
                recordFailure(index, states.get(index).as(role), e);
            }
        }
    }

    /** Records a failed check, unless the monitor is closing: then the check was cut short, not failed. */
    private void recordFailure(int index, DataSourceHealth before, Exception e) {
        if (closing) {
            log.debug("health check of {} {} of shard group {} ended by the monitor's close: {}", before.role(),
                    before.address(), before.group(), FailureMessage.firstLine(e));
            return;
        }
        record(index, before.failed(clock.instant(), FailureMessage.firstLine(e), HealthProbe.refused(e),
                settings.downAfterFailedChecks()));
    }

    private void record(int index, DataSourceHealth now) {
        DataSourceHealth before = states.getAndSet(index, now);
        if (now.consecutiveFailures() == 1 && now.state() != HealthState.DOWN) {
            log.warn("data source {} {} of shard group {} failed a health check (DOWN after {} in a row): {}",
                    now.role(), now.address(), now.group(), settings.downAfterFailedChecks(),
                    now.lastError().orElse(""));
        }
        if (before.state() != now.state()) {
            if (now.state() == HealthState.DOWN) {
                log.warn("data source {} {} of shard group {} is DOWN: {}", now.role(), now.address(), now.group(),
                        now.lastError().orElse(""));
            } else {
                log.info("data source {} {} of shard group {} is {}", now.role(), now.address(), now.group(),
                        now.state());
            }
        }
    }

    /** The role of a source that is not the primary. */
    private static DataSourceRole followerRole(GroupTopology roles, int source) {
        return roles.fenced().contains(source) ? DataSourceRole.FENCED
                : roles.stranded().contains(source) ? DataSourceRole.STRANDED : DataSourceRole.REPLICA;
    }

    /** Stops checking; checks it interrupts are not counted as failed. */
    @Override
    public void close() {
        closing = true;
        scheduler.shutdownNow();
        checks.shutdownNow();
    }
}
