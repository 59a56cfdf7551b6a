package io.shardwire.proxy.xa;

import io.shardwire.config.ShardGroupConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.proxy.backend.BackendConnection;
import io.shardwire.proxy.backend.BackendPools;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles, at proxy start and before clients are accepted, every XA branch this proxy instance
 * left prepared: {@code XA RECOVER} on each shard group primary lists them; a branch commits iff
 * the {@link DecisionLog} holds a commit decision for its gtrid and the commit marker exists on
 * the decision's group (the plain first branch committed), else it rolls back. One log line per
 * settled branch. Decisions whose branches have all ended lose their marker and are resolved; the
 * log is then compacted. A group that cannot be reached keeps its branches and their decisions for
 * the next start (logged as an error).
 */
final class XaRecovery {

    private static final Logger log = LoggerFactory.getLogger(XaRecovery.class);

    private final ShardwireConfig config;
    private final BackendPools pools;
    private final DecisionLog decisions;
    private final String prefix;

    XaRecovery(ShardwireConfig config, BackendPools pools, DecisionLog decisions, String prefix) {
        this.config = config;
        this.pools = pools;
        this.decisions = decisions;
        this.prefix = prefix;
    }

    void run() throws IOException {
        Map<String, DecisionLog.Decision> pending = new HashMap<>();
        decisions.pending().forEach(decision -> pending.put(decision.gtrid(), decision));
        Set<String> unsettled = new HashSet<>();
        boolean everyGroupReached = true;
        for (ShardGroupConfig group : config.shardGroups()) {
            try (BackendConnection connection = pools.primaryConnection(group.name(), false)) {
                CrossGroupCommits.createMarkerTable(connection);
                for (Xid xid : prepared(connection)) {
                    if (!settle(connection, xid, pending.get(xid.gtrid()))) {
                        unsettled.add(xid.gtrid());
                    }
                }
            } catch (SQLException e) {
                everyGroupReached = false;
                log.error("XA recovery: shard group {} ({}) is unreachable; its prepared branches wait for the next start: {}",
                        group.name(), pools.primaryAddress(group.name()), e.getMessage());
            }
        }
        if (!everyGroupReached) {
            return;
        }
        for (DecisionLog.Decision decision : pending.values()) {
            if (unsettled.contains(decision.gtrid())) {
                continue;
            }
            try (BackendConnection connection = pools.primaryConnection(decision.markerGroup(), false)) {
                connection.run(CommitMarkers.delete(List.of(decision.gtrid())));
                decisions.resolved(decision.gtrid());
            } catch (SQLException e) {
                log.error("XA recovery: cannot delete the commit marker of {} on {}: {}", decision.gtrid(),
                        decision.markerGroup(), e.getMessage());
            }
        }
        decisions.compact();
    }

    /** This proxy's prepared branches on the connection's server. */
    private List<Xid> prepared(BackendConnection connection) throws SQLException {
        List<Xid> xids = new ArrayList<>();
        try (Statement statement = connection.jdbc().createStatement();
             ResultSet rows = statement.executeQuery("XA RECOVER")) {
            while (rows.next()) {
                int gtridLength = rows.getInt("gtrid_length");
                String data = rows.getString("data");
                String gtrid = data.substring(0, gtridLength);
                if (gtrid.startsWith(prefix)) {
                    xids.add(new Xid(gtrid, data.substring(gtridLength)));
                }
            }
        }
        return xids;
    }

    /** Commits or rolls back one prepared branch; false if that failed. */
    private boolean settle(BackendConnection connection, Xid xid, DecisionLog.Decision decision) {
        String outcome;
        try {
            Boolean commit = decision == null ? Boolean.FALSE : markerExists(decision).orElse(null);
            if (commit == null) {
                log.error("XA recovery: branch {} on {} stays prepared: the marker group {} cannot be read",
                        xid.sql(), xid.group(), decision.markerGroup());
                return false;
            }
            connection.run((commit ? "XA COMMIT " : "XA ROLLBACK ") + xid.sql());
            outcome = commit ? "committed (decision logged, first branch committed)"
                    : decision == null ? "rolled back (no decision logged)"
                    : "rolled back (decision logged, but the first branch did not commit)";
        } catch (SQLException e) {
            log.error("XA recovery: settling branch {} on {} failed: {}", xid.sql(), xid.group(), e.getMessage());
            return false;
        }
        log.info("XA recovery: branch {} on shard group {} {}", xid.sql(), xid.group(), outcome);
        return true;
    }

    private final Map<String, Optional<Boolean>> markers = new HashMap<>();

    /** Whether the decision's marker exists (cached per gtrid), empty if its group cannot be read. */
    private Optional<Boolean> markerExists(DecisionLog.Decision decision) {
        return markers.computeIfAbsent(decision.gtrid(), gtrid -> {
            try (BackendConnection connection = pools.primaryConnection(decision.markerGroup(), false)) {
                return Optional.of(CrossGroupCommits.markerExists(connection, gtrid));
            } catch (SQLException e) {
                log.error("XA recovery: reading the commit marker of {} on {} failed: {}", gtrid,
                        decision.markerGroup(), e.getMessage());
                return Optional.empty();
            }
        });
    }
}
