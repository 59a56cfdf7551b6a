package io.shardwire.proxy.backend;

import io.shardwire.config.ShardGroupConfig;
import io.shardwire.proxy.health.DataSourceHealth;
import io.shardwire.proxy.health.HealthMonitor;
import io.shardwire.proxy.health.ReplicaLag;
import io.shardwire.proxy.topology.GroupTopology;
import io.shardwire.proxy.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * Which replicas of a shard group may take reads now, from the health monitor's last round: a replica is in
 * rotation while it is UP and, unless {@code maxReplicaLagMs} is -1, replicating with a lag
 * ({@code Seconds_Behind_Master}) within the limit. A replica not checked yet, DOWN, with replication stopped, or
 * too far behind is out until a later check finds it fit again. A replica promoted by a failover and a fenced former
 * primary are never in rotation. A replica a read could get no connection to is {@link #suspend suspended}: out at
 * once, until the monitor's next successful check of it (see {@link ReplicaSuspensions}).
 *
 * <p>Thread-safe: reads the monitor's published state.
 */
final class ReplicaRotation {

    private final HealthMonitor health;
    private final Topology topology;
    private final ReplicaSuspensions suspensions;

    ReplicaRotation(HealthMonitor health, Topology topology, ReplicaSuspensions suspensions) {
        this.health = health;
        this.topology = topology;
        this.suspensions = suspensions;
    }

    /** The indexes (from 0, configuration order) of the group's replicas in rotation. */
    List<Integer> inRotation(ShardGroupConfig group) {
        List<Integer> fit = new ArrayList<>();
        GroupTopology roles = topology.of(group.name());
        for (int r = 0; r < group.replicas().size(); r++) {
            DataSourceHealth replica = health.replicaHealth(group.name(), r);
            if (roles.follower(r + 1) && fit(replica, group.reads().maxReplicaLagMs())
                    && !suspensions.suspended(replica)) {
                fit.add(r);
            }
        }
        return fit;
    }

    /**
     * Takes a replica (index from 0) out of the rotation until the monitor's next successful check of it: a read
     * could get no connection to it.
     *
     * @param reason why, for the log
     */
    void suspend(String group, int replica, String reason) {
        suspensions.suspend(health.replicaHealth(group, replica), reason);
    }

    static boolean fit(DataSourceHealth replica, long maxLagMs) {
        if (!replica.lastCheckSucceeded() || replica.lag().isEmpty()) {
            return false;
        }
        if (maxLagMs < 0) {
            return true;
        }
        ReplicaLag lag = replica.lag().get();
        return lag.replicating() && lag.secondsBehind().isPresent()
                && lag.secondsBehind().getAsLong() * 1000 <= maxLagMs;
    }
}
