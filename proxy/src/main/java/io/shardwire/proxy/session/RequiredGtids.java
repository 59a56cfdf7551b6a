package io.shardwire.proxy.session;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Per shard group, the GTID of a session's writes that a replica must have applied before it answers the session
 * ({@code session} consistency), and the replicas seen to have applied it: a {@code MASTER_GTID_WAIT} for exactly that
 * GTID returned 0 there. A replica's applied position only moves forward, so one seen once need not be waited on again
 * until the GTID changes (the session wrote again), which forgets them. Replicas are known by address (host:port), not
 * by their place in the group, so another server put in that place is not taken for one seen.
 *
 * <p>Not thread-safe: owned by one session.
 */
final class RequiredGtids {

    private final Map<String, String> gtids = new HashMap<>();
    /** Per group, the addresses of the replicas seen to have applied its GTID; at most the group's replicas. */
    private final Map<String, Set<String>> appliedAt = new HashMap<>();

    /** The GTID the group's replicas must have applied before they answer the session, or null when none. */
    String get(String group) {
        return gtids.get(group);
    }

    /** The session's writes to the group are at this GTID now; a new one forgets where the previous one was applied. */
    void require(String group, String gtid) {
        if (!gtid.equals(gtids.put(group, gtid))) {
            appliedAt.remove(group);
        }
    }

    /** The replica at {@code address} applied {@code gtid}; noted only if that is the one the group requires now. */
    void applied(String group, String gtid, String address) {
        if (gtid.equals(gtids.get(group))) {
            appliedAt.computeIfAbsent(group, g -> new HashSet<>()).add(address);
        }
    }

    /** Whether the replica at {@code address} may answer a read of the group without a wait first. */
    boolean satisfiedAt(String group, String address) {
        return !gtids.containsKey(group) || appliedAt.getOrDefault(group, Set.of()).contains(address);
    }

    /** The session ended or was reset: nothing is required any more. */
    void clear() {
        gtids.clear();
        appliedAt.clear();
    }
}
