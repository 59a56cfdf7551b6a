package io.shardwire.proxy.health;

import java.time.Instant;
import java.util.Optional;

/**
 * The last known health of one data source.
 *
 * @param group               the shard group
 * @param role                primary, replica or fenced, as the topology of the last check had it
 * @param index               0 for the configured primary, 1.. for the replicas in configuration order
 * @param address             {@code host:port}
 * @param state               UP once a check succeeded, DOWN once {@code monitoring.downAfterFailedChecks} checks in a
 *                            row failed (or a connection was refused); between the two, the state it had
 * @param lastCheck           when the last check ended; empty before the first
 * @param consecutiveFailures checks failed in a row, 0 once one succeeds
 * @param lastError           why the last check failed, empty when it succeeded
 * @param lag                 for a replica, its lag as of its last successful check
 */
public record DataSourceHealth(String group, DataSourceRole role, int index, String address, HealthState state,
                               Optional<Instant> lastCheck, int consecutiveFailures, Optional<String> lastError,
                               Optional<ReplicaLag> lag) {

    /** A data source not checked yet. */
    static DataSourceHealth unknown(String group, DataSourceRole role, int index, String address) {
        return new DataSourceHealth(group, role, index, address, HealthState.UNKNOWN, Optional.empty(), 0,
                Optional.empty(), Optional.empty());
    }

    /** This source in another role (after a failover). */
    DataSourceHealth as(DataSourceRole newRole) {
        return newRole == role ? this : new DataSourceHealth(group, newRole, index, address, state, lastCheck,
                consecutiveFailures, lastError, lag);
    }

    /** This source after a successful check. */
    DataSourceHealth up(Instant at, Optional<ReplicaLag> newLag) {
        return new DataSourceHealth(group, role, index, address, HealthState.UP, Optional.of(at), 0, Optional.empty(),
                newLag);
    }

    /**
     * This source after a failed check: DOWN if the server refused the connection or this is the
     * {@code downAfterFailedChecks}-th failure in a row, else in the state it had (a slow connect under load is not an
     * outage). The last known lag stays, since it is the best there is.
     */
    DataSourceHealth failed(Instant at, String error, boolean refused, int downAfterFailedChecks) {
        int failures = consecutiveFailures + 1;
        HealthState next = refused || failures >= downAfterFailedChecks ? HealthState.DOWN : state;
        return new DataSourceHealth(group, role, index, address, next, Optional.of(at), failures, Optional.of(error),
                lag);
    }

    /**
     * Whether the last check succeeded: what taking reads, being promoted, fenced or re-pointed needs. A source whose
     * checks just began to fail is not DOWN yet, but is not relied on for these either.
     */
    public boolean lastCheckSucceeded() {
        return state == HealthState.UP && consecutiveFailures == 0;
    }
}
