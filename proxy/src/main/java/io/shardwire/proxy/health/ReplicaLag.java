package io.shardwire.proxy.health;

import java.util.OptionalLong;

/**
 * How far a replica is behind its primary, as of its last successful check.
 *
 * @param replicating        whether both replication threads run ({@code Slave_IO_Running} and
 *                           {@code Slave_SQL_Running} are {@code Yes})
 * @param secondsBehind      {@code Seconds_Behind_Master}; empty when the server reports NULL (not replicating) or
 *                           has no replication configured
 * @param replicaPosition    the replica's {@code @@gtid_slave_pos}
 * @param primaryPosition    the primary's {@code @@gtid_binlog_pos} from the same round of checks; empty if the
 *                           primary did not answer
 * @param transactionsBehind transactions the primary has committed that the replica has not applied yet, by GTID;
 *                           -1 when the primary's position is unknown
 */
public record ReplicaLag(boolean replicating, OptionalLong secondsBehind, GtidPosition replicaPosition,
                         GtidPosition primaryPosition, long transactionsBehind) {
}
