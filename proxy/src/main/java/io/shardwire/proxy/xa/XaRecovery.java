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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles every XA branch that earlier runs of this proxy instance left prepared: {@code XA RECOVER} on each shard
 * group primary lists them; a branch commits iff the {@link DecisionLog} holds a commit decision for its gtrid and
 * the commit marker exists on the decision's group (the plain first branch committed), else it rolls back. One log
 * line per settled branch. Once every group is settled, the decisions logged before this start lose their markers
 * and are resolved, and the log is compacted: a decision does not say which groups its branches are on, so no
 * marker goes while any group is unsettled.
 *
 * <p>{@link #start} makes one round over every group before clients are accepted, as long as a start always took. A
 * group that round cannot finish (no connection within {@code failFastMs}, its marker group unreadable, an
 * {@code XA COMMIT} that failed) is retried in the background, {@value #FIRST_RETRY_MS} ms later and then at
 * doubling intervals up to {@value #MAX_RETRY_MS} ms, until it is settled: its prepared branches hold row locks, so
 * they must not wait for the next start. Logged once at WARN per group (with what stays pending), at INFO when
 * settled. These rounds only touch branches of earlier runs: this run's belong to commits under way, or were handed
 * over (below).
 *
 * <p>The same retries end the branches of this run's transactions that a commit could not end and handed over
 * ({@link #handOver}, {@link StrandedCommits}): an {@code XA COMMIT} that failed twice, an {@code XA ROLLBACK} that
 * did (after the first branch's COMMIT failed, or a commit that failed before its decision), or a first branch's
 * COMMIT whose outcome could not be learned. A hand-over starts the backoff afresh (a retry {@value #FIRST_RETRY_MS} ms
 * later, then doubling); the retries stop once nothing is left, and the next hand-over starts them again.
 *
 * <p>Thread-safe: rounds run one at a time (the first on the starting thread, later ones on the retry thread); the
 * pending counts may be read, and transactions handed over, from any thread.
 */
final class XaRecovery implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(XaRecovery.class);
    static final long FIRST_RETRY_MS = 1_000;
    static final long MAX_RETRY_MS = 30_000;

    private final ShardwireConfig config;
    private final BackendPools pools;
    private final DecisionLog decisions;
    private final String instancePrefix;
    private final String runPrefix;
    /** The decisions logged before this start whose markers are not deleted yet, by gtrid. */
    private final Map<String, DecisionLog.Decision> decided = new ConcurrentHashMap<>();
    /** Groups not settled yet: not read, or with a branch of an earlier run still prepared. */
    private final Set<String> groupsLeft = ConcurrentHashMap.newKeySet();
    /** Groups (and marker groups whose DELETE failed) already logged at WARN: once each. */
    private final Set<String> warned = new HashSet<>();
    private final StrandedCommits stranded;
    /** Starts its thread at the first retry scheduled. */
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("xa-recovery").daemon().factory());
    /** Whether the start-up rounds are done: every group settled, every earlier decision resolved. */
    private volatile boolean startupDone;
    private int round;
    /** The next retry (or the one running), null while none is needed; guarded by this. */
    private ScheduledFuture<?> next;
    /** The delay after the retry running or next; guarded by this. */
    private long delayMs = FIRST_RETRY_MS;

    private XaRecovery(ShardwireConfig config, BackendPools pools, DecisionLog decisions, String instancePrefix,
                       String runPrefix) {
        this.config = config;
        this.pools = pools;
        this.decisions = decisions;
        this.instancePrefix = instancePrefix;
        this.runPrefix = runPrefix;
        this.stranded = new StrandedCommits(pools);
        decisions.pending().forEach(decision -> decided.put(decision.gtrid(), decision));
        config.shardGroups().forEach(group -> groupsLeft.add(group.name()));
    }

    /**
     * Runs the first round now and, if some group is left, retries it in the background.
     *
     * @param instancePrefix the gtrid prefix of every run of this proxy instance
     * @param runPrefix      the gtrid prefix of this run, whose branches recovery never touches
     * @throws IOException when the decision log cannot be compacted after a complete first round
     */
    static XaRecovery start(ShardwireConfig config, BackendPools pools, DecisionLog decisions, String instancePrefix,
                            String runPrefix) throws IOException {
        XaRecovery recovery = new XaRecovery(config, pools, decisions, instancePrefix, runPrefix);
        recovery.startupDone = recovery.round();
        if (!recovery.startupDone) {
            recovery.wake();
        }
        return recovery;
    }

    /**
     * Takes over a transaction of this run whose prepared branches its commit could not end, to be ended by the
     * background retries (see {@link StrandedCommits} for why this cannot contradict the commit path).
     *
     * @param reason what failed, for the log
     */
    void handOver(StrandedCommits.Stranded transaction, String reason) {
        stranded.add(transaction, reason);
        wake();
    }

    /** Shard groups whose recovery is not finished. */
    int pendingGroups() {
        return groupsLeft.size();
    }

    /** Decisions logged before this start whose markers still wait (all of them while a group is left). */
    int pendingDecisions() {
        return decided.size();
    }

    /** Transactions of this run handed over whose branches are not all ended yet. */
    int pendingTransactions() {
        return stranded.size();
    }

    /** Has a retry run {@value #FIRST_RETRY_MS} ms from now at the latest, with the backoff started afresh. */
    private synchronized void wake() {
        delayMs = FIRST_RETRY_MS;
        if (next != null && (next.getDelay(TimeUnit.MILLISECONDS) <= FIRST_RETRY_MS || !next.cancel(false))) {
            // Due soon, or running: it schedules the next one itself.
            return;
        }
        schedule(FIRST_RETRY_MS);
    }

    /** Called with this held. */
    private void schedule(long delay) {
        try {
            next = retries.schedule(this::retry, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // close() stopped the retries: the next start settles what is left.
            next = null;
        }
    }

    private void retry() {
        if (!startupDone) {
            try {
                startupDone = round();
                if (startupDone) {
                    log.info("XA recovery finished on retry {}: every shard group settled, the commit markers of the"
                            + " decisions logged before this start deleted", round - 1);
                }
            } catch (IOException | RuntimeException e) {
                log.error("XA recovery: retry {} failed: {}", round, e.toString());
            }
        }
        try {
            stranded.settle();
        } catch (RuntimeException e) {
            log.error("XA: a retry of the transactions handed over failed: {}", e.toString());
        }
        synchronized (this) {
            // Checked under the lock wake() takes after a hand-over: one added now finds next null and schedules.
            if (startupDone && stranded.isEmpty()) {
                next = null;
                return;
            }
            delayMs = Math.min(delayMs * 2, MAX_RETRY_MS);
            schedule(delayMs);
        }
    }

    /** Settles the groups left, then, if none is, deletes the markers left; true when nothing is left. */
    private boolean round() throws IOException {
        round++;
        Map<String, Optional<Boolean>> markers = new HashMap<>();
        for (ShardGroupConfig group : config.shardGroups()) {
            if (groupsLeft.contains(group.name())) {
                settleGroup(group.name(), markers);
            }
        }
        if (!groupsLeft.isEmpty()) {
            return false;
        }
        for (DecisionLog.Decision decision : List.copyOf(decided.values())) {
            deleteMarker(decision);
        }
        decisions.compact();
        return decided.isEmpty();
    }

    private void settleGroup(String group, Map<String, Optional<Boolean>> markers) {
        List<String> stuck = new ArrayList<>();
        String failure;
        try (BackendConnection connection = pools.primaryConnection(group, false)) {
            CrossGroupCommits.createMarkerTable(connection);
            for (Xid xid : prepared(connection, gtrid -> gtrid.startsWith(instancePrefix) && !gtrid.startsWith(runPrefix))) {
                settle(connection, xid, markers).ifPresent(stuck::add);
            }
            if (stuck.isEmpty()) {
                groupsLeft.remove(group);
                if (warned.remove(group)) {
                    log.info("XA recovery: shard group {} settled on retry {}", group, round - 1);
                }
                return;
            }
            failure = String.join("; ", stuck);
        } catch (SQLException e) {
            failure = "it cannot be read (" + e.getMessage() + "); its prepared branches are not known until it answers";
        }
        if (warned.add(group)) {
            log.warn("XA recovery: shard group {} ({}) is not settled: {}; retrying in the background, at most every {} s."
                            + " Meanwhile {} commit decision(s) logged before this start stay pending, their markers kept: {}",
                    group, pools.primaryAddress(group), failure, MAX_RETRY_MS / 1_000, decided.size(),
                    abbreviated(decided.keySet()));
        } else {
            log.debug("XA recovery: shard group {} still not settled (round {}): {}", group, round, failure);
        }
    }

    /** The prepared branches on the connection's server whose gtrids {@code gtrids} accepts. */
    static List<Xid> prepared(BackendConnection connection, Predicate<String> gtrids) throws SQLException {
        List<Xid> xids = new ArrayList<>();
        try (Statement statement = connection.jdbc().createStatement();
             ResultSet rows = statement.executeQuery("XA RECOVER")) {
            while (rows.next()) {
                int gtridLength = rows.getInt("gtrid_length");
                String data = rows.getString("data");
                String gtrid = data.substring(0, gtridLength);
                if (gtrids.test(gtrid)) {
                    xids.add(new Xid(gtrid, data.substring(gtridLength)));
                }
            }
        }
        return xids;
    }

    /** Commits or rolls back one prepared branch; empty if done, else why it stays prepared. */
    private Optional<String> settle(BackendConnection connection, Xid xid, Map<String, Optional<Boolean>> markers) {
        DecisionLog.Decision decision = decided.get(xid.gtrid());
        String outcome;
        try {
            Boolean commit = decision == null ? Boolean.FALSE : markerExists(decision, markers).orElse(null);
            if (commit == null) {
                return Optional.of("branch " + xid.sql() + " stays prepared: the commit marker's group "
                        + decision.markerGroup() + " cannot be read");
            }
            connection.run((commit ? "XA COMMIT " : "XA ROLLBACK ") + xid.sql());
            outcome = commit ? "committed (decision logged, first branch committed)"
                    : decision == null ? "rolled back (no decision logged)"
                    : "rolled back (decision logged, but the first branch did not commit)";
        } catch (SQLException e) {
            return Optional.of("settling branch " + xid.sql() + " failed: " + e.getMessage());
        }
        log.info("XA recovery: branch {} on shard group {} {}", xid.sql(), xid.group(), outcome);
        return Optional.empty();
    }

    /** Whether the decision's marker exists (read once per round), empty if its group cannot be read. */
    private Optional<Boolean> markerExists(DecisionLog.Decision decision, Map<String, Optional<Boolean>> markers) {
        return markers.computeIfAbsent(decision.gtrid(), gtrid -> {
            try (BackendConnection connection = pools.primaryConnection(decision.markerGroup(), false)) {
                return Optional.of(CrossGroupCommits.markerExists(connection, gtrid));
            } catch (SQLException e) {
                log.debug("XA recovery: reading the commit marker of {} on {} failed: {}", gtrid,
                        decision.markerGroup(), e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** Deletes the marker of a decision whose branches have all ended, then resolves it; kept for a retry on failure. */
    private void deleteMarker(DecisionLog.Decision decision) throws IOException {
        try (BackendConnection connection = pools.primaryConnection(decision.markerGroup(), false)) {
            connection.run(CommitMarkers.delete(List.of(decision.gtrid())));
        } catch (SQLException e) {
            if (warned.add("markers on " + decision.markerGroup())) {
                log.warn("XA recovery: cannot delete the commit marker of {} on shard group {}: {}; retrying in the"
                        + " background", decision.gtrid(), decision.markerGroup(), e.getMessage());
            }
            return;
        }
        decisions.resolved(decision.gtrid());
        decided.remove(decision.gtrid());
    }

    /** Up to ten of the gtrids, then how many more. */
    private static String abbreviated(Set<String> gtrids) {
        List<String> all = List.copyOf(gtrids);
        return all.size() <= 10 ? all.toString() : all.subList(0, 10) + " and " + (all.size() - 10) + " more";
    }

    /** Stops retrying; what is left waits for the next start. */
    @Override
    public void close() {
        retries.shutdownNow();
        try {
            if (!retries.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("XA recovery: a retry still runs at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!groupsLeft.isEmpty() || !decided.isEmpty() || !stranded.isEmpty()) {
            log.warn("XA recovery stopped with {} shard group(s) unsettled, {} decision(s) pending and {} transaction(s)"
                    + " of this run handed over and not ended: the next start settles them", groupsLeft.size(),
                    decided.size(), stranded.size());
        }
    }
}
