package io.shardwire.config;

import java.util.Optional;

/**
 * What the proxy does when a shard group's primary stops answering.
 *
 * @param mode               {@link Mode#MANUAL}: the group's writes fail until the primary is back or an operator
 *                           changes the topology; {@link Mode#AUTO}: the most advanced replica is promoted
 * @param failoverAfterMs    with {@code auto}: how long the primary must have failed every heartbeat before a
 *                           replica is promoted
 * @param failFastMs         the longest a statement that needs the primary waits for it (a connection, or the new
 *                           primary while a failover runs) before it fails with an error naming the group
 * @param topologyAccount    the account that promotes, re-points and fences servers (needs READ_ONLY ADMIN and
 *                           REPLICATION SLAVE ADMIN, which the data account must not have); required with {@code auto}
 * @param replicationAccount the account replicas log in to the new primary with; required with {@code auto}
 */
public record FailoverConfig(Mode mode, long failoverAfterMs, long failFastMs, Optional<Account> topologyAccount,
                             Optional<Account> replicationAccount) {

    /** Manual failover; statements wait at most 3 s for the primary. */
    public static final FailoverConfig DEFAULT = new FailoverConfig(Mode.MANUAL, 3_000, 3_000, Optional.empty(),
            Optional.empty());

    /** Who changes the topology. */
    public enum Mode {
        /** An operator: the proxy only fails the group's writes fast. */
        MANUAL,
        /** The proxy promotes a replica. */
        AUTO
    }

    /** Whether the proxy promotes a replica by itself. */
    public boolean automatic() {
        return mode == Mode.AUTO;
    }

    /**
     * A login on the group's servers.
     *
     * @param user     account name
     * @param password its password
     */
    public record Account(String user, String password) {

        @Override
        public String toString() {
            return "Account[" + user + "]";
        }
    }
}
