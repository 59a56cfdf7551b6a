package io.shardwire.proxy.failover;

import io.shardwire.config.DataSourceConfig;
import io.shardwire.config.FailoverConfig.Account;
import io.shardwire.config.ShardGroupConfig;
import io.shardwire.proxy.health.DataSourceHealth;
import io.shardwire.proxy.health.FailureMessage;
import io.shardwire.proxy.health.GtidPosition;
import io.shardwire.proxy.health.HealthMonitor;
import io.shardwire.proxy.health.ReplicaLag;
import io.shardwire.proxy.topology.GroupTopology;
import io.shardwire.proxy.topology.Topology;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicas a failover left stranded (DOWN while it ran, or their re-point failed), which may still follow a former
 * primary. When one answers the health check again its replication is stopped, and it is re-pointed to the group's
 * primary ({@code CHANGE MASTER TO ... MASTER_USE_GTID=slave_pos}, {@code START SLAVE}) if that is safe: its
 * {@code @@gtid_current_pos} must hold no transaction the primary's {@code @@gtid_binlog_pos} lacks. One that does
 * (a transaction the dead primary sent it and nobody else received, or a write made on it) has diverged: it stays
 * stranded and is logged, for an operator to rebuild. A re-pointed replica stays out of the read rotation until a
 * health check after the re-point finds it replicating with everything the primary had then applied; from there it is
 * a follower again and the usual lag rules decide whether it takes reads.
 *
 * <p>Runs on the health monitor's thread after each round.
 */
final class StrandedReplicas {

    private static final Logger log = LoggerFactory.getLogger(StrandedReplicas.class);

    private final HealthMonitor health;
    private final Topology topology;
    private final long connectTimeoutMs;
    /** Per re-pointed replica ({@code group/source}), what it must apply before it takes reads. */
    private final Map<String, CatchUp> catchingUp = new ConcurrentHashMap<>();
    /** Per stranded replica, the last outcome logged, so that one answered every round is logged once. */
    private final Map<String, String> lastLogged = new ConcurrentHashMap<>();

    /**
     * A re-pointed replica on its way back.
     *
     * @param primary   the source it was pointed to
     * @param target    that primary's binlog position at the re-point
     * @param checkedAt the replica's last health check before the re-point; a later one tells about after it
     */
    private record CatchUp(int primary, GtidPosition target, Optional<Instant> checkedAt) {
    }

    StrandedReplicas(HealthMonitor health, Topology topology, long connectTimeoutMs) {
        this.health = health;
        this.topology = topology;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    /** A failover could not re-point the replica: out of the rotation until it is re-pointed here. */
    void strand(ShardGroupConfig group, int source) {
        try {
            topology.strand(group.name(), source, true);
        } catch (IOException e) {
            log.error("shard group {}: could not record replica {} as stranded in the topology file: {}", group.name(),
                    group.source(source).address(), e.getMessage());
        }
    }

    /** Re-points the group's stranded replicas that answer, and puts those that caught up back in the rotation. */
    void repointReturned(ShardGroupConfig group, GroupTopology roles) {
        Optional<Account> account = group.failover().topologyAccount();
        Optional<Account> replication = group.failover().replicationAccount();
        if (roles.stranded().isEmpty() || account.isEmpty() || replication.isEmpty()) {
            return;
        }
        for (int source : roles.stranded()) {
            String key = group.name() + "/" + source;
            DataSourceHealth now = health.sourceHealth(group.name(), source);
            if (!now.lastCheckSucceeded()) {
                catchingUp.remove(key);
                continue;
            }
            CatchUp catchUp = catchingUp.get(key);
            if (catchUp == null || catchUp.primary() != roles.primary()) {
                repoint(group, roles.primary(), source, now,
                        new TopologyCommands(account.get(), connectTimeoutMs), replication.get());
            } else if (checkedSince(now, catchUp) && !now.lag().map(ReplicaLag::replicating).orElse(false)) {
                reportStalled(group, source, new TopologyCommands(account.get(), connectTimeoutMs));
            } else if (caughtUp(now, catchUp)) {
                try {
                    topology.strand(group.name(), source, false);
                    catchingUp.remove(key);
                    lastLogged.remove(key);
                    log.warn("shard group {}: replica {} applied the primary's {}; back in the read rotation",
                            group.name(), now.address(), catchUp.target().text());
                } catch (IOException e) {
                    report(key, "shard group " + group.name() + ": could not record replica " + now.address()
                            + " as following again in the topology file: " + e.getMessage());
                }
            }
        }
    }

    private void repoint(ShardGroupConfig group, int primarySource, int source, DataSourceHealth now,
                         TopologyCommands commands, Account replication) {
        String key = group.name() + "/" + source;
        DataSourceConfig replica = group.source(source);
        DataSourceConfig primary = group.source(primarySource);
        try {
            TopologyCommands.ReplicaPositions replicaPositions = commands.stopReplication(replica);
            GtidPosition primaryPosition = commands.binlogPosition(primary);
            if (replicaPositions.current().divergesFrom(primaryPosition) || replicaPositions.wroteItself()) {
                report(key, "shard group " + group.name() + ": stranded replica " + replica.address()
                        + " has diverged: its GTID position " + replicaPositions.current().text() + " (replicated: "
                        + replicaPositions.replicated().text() + ") holds transactions the primary "
                        + primary.address() + " (" + primaryPosition.text() + ") lacks; its replication is stopped"
                        + " and it stays out of the read rotation (rebuild it from the primary, see"
                        + " docs/operations.md, Failover)");
                return;
            }
            commands.follow(replica, primary, replication);
            catchingUp.put(key, new CatchUp(primarySource, primaryPosition, now.lastCheck()));
            lastLogged.remove(key);
            log.warn("shard group {}: stranded replica {} answers again; now follows {} by GTID, out of the read"
                    + " rotation until it applied {}", group.name(), replica.address(), primary.address(),
                    primaryPosition.text());
        } catch (SQLException | IllegalArgumentException e) {
            report(key, "shard group " + group.name() + ": could not re-point stranded replica " + replica.address()
                    + " to " + primary.address() + ": " + FailureMessage.firstLine(e) + " (tried again each"
                    + " health round)");
        }
    }

    /**
     * A re-pointed replica that does not replicate: the primary may have refused its position (error 1236 when the
     * replica holds a transaction the primary lacks), which an operator has to resolve. It stays stranded.
     */
    private void reportStalled(ShardGroupConfig group, int source, TopologyCommands commands) {
        String key = group.name() + "/" + source;
        String address = group.source(source).address();
        try {
            commands.replicationError(group.source(source)).ifPresent(error -> report(key, "shard group "
                    + group.name() + ": re-pointed replica " + address + " does not replicate (" + error + "); it"
                    + " stays out of the read rotation (if it diverged, rebuild it from the primary, see"
                    + " docs/operations.md, Failover)"));
        } catch (SQLException e) {
            report(key, "shard group " + group.name() + ": could not read the replication status of " + address + ": "
                    + FailureMessage.firstLine(e));
        }
    }

    /** Whether the replica's health was checked after the re-point. */
    private static boolean checkedSince(DataSourceHealth now, CatchUp catchUp) {
        return now.lastCheck().isPresent() && !Objects.equals(now.lastCheck(), catchUp.checkedAt());
    }

    /** Whether a health check after the re-point found the replica replicating, with the target applied. */
    private static boolean caughtUp(DataSourceHealth now, CatchUp catchUp) {
        if (!checkedSince(now, catchUp) || now.lag().isEmpty()) {
            return false;
        }
        ReplicaLag lag = now.lag().get();
        return lag.replicating() && catchUp.target().transactionsAhead(lag.replicaPosition()) == 0;
    }

    /** Logs an outcome at ERROR unless it is the one last logged for this replica. */
    private void report(String key, String message) {
        if (!message.equals(lastLogged.put(key, message))) {
            log.error(message);
        }
    }
}
