package io.shardwire.proxy.backend;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shardwire.config.ShardGroupConfig;
import io.shardwire.proxy.health.DataSourceHealth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicas taken out of their group's read rotation because a read could not get a connection to them: between a
 * replica's death and the health monitor's next round, every read sent to it would otherwise wait for a connection
 * first. A suspension holds until the monitor records a check of the replica that succeeds after it.
 *
 * <p>A suspension keeps the health the monitor had published for the replica when it began: the monitor publishes a
 * new {@link DataSourceHealth} after every check (see {@code HealthMonitor}), so another instance means a later check,
 * even when its values are equal (a check under a fixed clock). Each suspension is logged at WARN and counted
 * ({@code shardwire_replica_suspensions_total}); its end is logged at INFO.
 *
 * <p>Thread-safe.
 */
final class ReplicaSuspensions {

    private static final Logger log = LoggerFactory.getLogger(ReplicaSuspensions.class);

    /** A data source by group and index (1.. for the replicas, as in {@link DataSourceHealth#index()}). */
    private record Source(String group, int index) {
    }

    /** The replica's health when it was suspended, by source. */
    private final Map<Source, DataSourceHealth> suspended = new ConcurrentHashMap<>();
    private final Map<Source, Counter> suspensions = new HashMap<>();

    /** Registers a suspension counter per replica of the groups, at 0, so that a rate reads from the start. */
    ReplicaSuspensions(List<ShardGroupConfig> groups, MeterRegistry registry) {
        for (ShardGroupConfig group : groups) {
            for (int index = 1; index <= group.replicas().size(); index++) {
                suspensions.put(new Source(group.name(), index), Counter.builder("shardwire.replica.suspensions")
                        .tag("group", group.name())
                        .tag("replica", group.source(index).address())
                        .description("replicas taken out of the read rotation because a read got no connection")
                        .register(registry));
            }
        }
    }

    /**
     * Takes the replica out of the rotation until a check after {@code seen} succeeds; nothing if it is out already.
     *
     * @param seen   the replica's health as the monitor has it now
     * @param reason why no connection could be had, for the log
     * @return whether this began a suspension
     */
    boolean suspend(DataSourceHealth seen, String reason) {
        Source source = new Source(seen.group(), seen.index());
        if (suspended.putIfAbsent(source, seen) != null) {
            return false;
        }
        suspensions.get(source).increment();
        log.warn("replica {} of shard group {} gave no connection: out of the read rotation until a health check"
                + " succeeds; its reads go to the other replicas or the primary: {}", seen.address(), seen.group(),
                reason);
        return true;
    }

    /**
     * Whether the replica is suspended, given its health now; a suspension that a later successful check ended is
     * removed here.
     */
    boolean suspended(DataSourceHealth now) {
        if (suspended.isEmpty()) {
            // Every replica read asks: the usual answer costs no look-up.
            return false;
        }
        Source source = new Source(now.group(), now.index());
        DataSourceHealth seen = suspended.get(source);
        if (seen == null) {
            return false;
        }
        if (now == seen || !now.lastCheckSucceeded()) {
            return true;
        }
        if (suspended.remove(source, seen)) {
            log.info("replica {} of shard group {} answered a health check after its suspension, which ends: it takes"
                    + " reads again while fit for the rotation", now.address(), now.group());
        }
        return false;
    }
}
