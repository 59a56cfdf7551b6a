package io.shardwire.proxy.xa;

import io.shardwire.config.ShardwireConfig;
import io.shardwire.proxy.backend.BackendConnection;
import io.shardwire.proxy.backend.BackendPools;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic commit of transactions whose statements reached several shard groups ("last resource
 * commit"): the first group a transaction touches runs a plain transaction (begun before anyone
 * knew the transaction would spread), every later group an XA branch. At COMMIT:
 * <ol>
 *   <li>the plain branch inserts a commit marker row naming the gtrid ({@link CommitMarkers});</li>
 *   <li>every XA branch is ended and prepared, at the same time as step 1 (a failure rolls everything back);</li>
 *   <li>the decision (gtrid, marker group) is appended to the {@link DecisionLog} and forced;</li>
 *   <li>the plain branch commits, and with it the marker: this is the moment of truth;</li>
 *   <li>every XA branch commits (all at once); then the marker is deleted (in a batch, by the {@link MarkerSweep}) and the
 *   decision marked resolved.</li>
 * </ol>
 * After a crash at any point, {@link XaRecovery} commits a prepared branch iff its decision was
 * logged and its marker exists, else rolls it back: before step 3 nothing committed; between 3
 * and 4 the plain branch died with the proxy's connection (no marker); after 4 the marker exists.
 * At run time, a branch that step 5 cannot end (its group lost), or all of them when the first branch's COMMIT
 * failed and its outcome cannot be learned, is handed to recovery's background retries ({@link StrandedCommits}),
 * which end it by the same rule as soon as its group answers; so is a branch perhaps prepared that cannot be rolled
 * back when step 2 or 3 failed (rolled back: there is no marker).
 * A transaction that touched one group commits plainly, without any of this.
 *
 * <p>Gtrids start with a prefix naming this proxy instance ({@code sw-<id>-}, the id kept in the
 * data dir), so recovery only touches branches this proxy made.
 *
 * <p>Thread-safe.
 */
public final class CrossGroupCommits implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CrossGroupCommits.class);

    private final BackendPools pools;
    private final DecisionLog decisions;
    private final String instancePrefix;
    private final String runPrefix;
    private final AtomicLong counter = new AtomicLong();
    private final Consumer<Boolean> outcomes;
    private final MarkerSweep markers;
    private XaRecovery recovery;

    private CrossGroupCommits(BackendPools pools, DecisionLog decisions, String instancePrefix,
                              Consumer<Boolean> outcomes) {
        this.pools = pools;
        this.markers = new MarkerSweep(pools, decisions);
        this.outcomes = outcomes;
        this.decisions = decisions;
        this.instancePrefix = instancePrefix;
        // Unique per run, so a gtrid is never reused even if an old branch were still around.
        this.runPrefix = instancePrefix + Long.toString(System.currentTimeMillis(), 36) + "-";
    }

    /**
     * Opens the decision log in {@code <server.dataDir>/xa} and runs recovery on every shard group
     * (creating the commit marker table there first); to be called before the proxy accepts clients. A group
     * recovery cannot settle now is retried in the background ({@link XaRecovery}).
     *
     * @param outcomes told of every transaction over several groups that ends: true committed, false rolled back
     */
    public static CrossGroupCommits open(ShardwireConfig config, BackendPools pools, Consumer<Boolean> outcomes)
            throws IOException {
        Path dir = config.dataDir().resolve("xa");
        DecisionLog decisions = DecisionLog.open(dir);
        CrossGroupCommits commits = new CrossGroupCommits(pools, decisions, "sw-" + instanceId(dir) + "-", outcomes);
        try {
            commits.recovery = XaRecovery.start(config, pools, decisions, commits.instancePrefix, commits.runPrefix);
        } catch (IOException | RuntimeException e) {
            // The marker sweep has started and the decision log is open: a failed start must not leave them behind.
            try {
                commits.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return commits;
    }

    /** This proxy's id, made once and kept in {@code dir/instance}. */
    private static String instanceId(Path dir) throws IOException {
        Path file = dir.resolve("instance");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        String id = HexFormat.of().formatHex(random).toLowerCase(Locale.ROOT);
        Path temporary = dir.resolve("instance.tmp");
        Files.writeString(temporary, id + "\n", StandardCharsets.US_ASCII);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return id;
    }

    /** A new global transaction id of this proxy. */
    public String newGtrid() {
        return runPrefix + counter.incrementAndGet();
    }

    /**
     * Commits a transaction over several groups atomically (see the class comment).
     *
     * @param branches the plain first branch, then the XA branches
     * @throws SQLException when the transaction did not commit: every branch has been rolled back, or is rolled back
     *     by recovery's background retries once its group answers (SQLSTATE XA100), or its outcome could not be
     *     learned and those retries settle it (HY000)
     */
    public void commit(List<Branch> branches) throws SQLException {
        Branch plain = branches.getFirst();
        List<Branch> xa = branches.subList(1, branches.size());
        String gtrid = xa.getFirst().xid().gtrid();
        try {
            // Independent of each other, so every group does its part at once; the decision waits for all.
            BranchSteps.atOnce(branches, branch -> {
                if (branch.isXa()) {
                    branch.connection().run("XA END " + branch.xid().sql());
                    branch.connection().run("XA PREPARE " + branch.xid().sql());
                } else {
                    insertMarker(branch, gtrid);
                }
            });
        } catch (SQLException e) {
            throw rolledBackBeforeDecision(gtrid, plain.group(), branches, "preparing", e);
        }
        Failpoint.BEFORE_DECISION.reach();
        try {
            decisions.commit(new DecisionLog.Decision(gtrid, plain.group()));
        } catch (IOException e) {
            throw rolledBackBeforeDecision(gtrid, plain.group(), branches,
                    "logging the decision in " + decisions.file(), new SQLException(e.getMessage(), e));
        }
        Failpoint.AFTER_DECISION.reach();
        try {
            plain.connection().run("COMMIT");
        } catch (SQLException e) {
            settleAfterFailedFirstCommit(gtrid, plain.group(), xa, e);
            return;
        }
        Failpoint.AFTER_FIRST_COMMIT.reach();
        outcomes.accept(true);
        finish(gtrid, plain.group(), xa, true);
    }

    /**
     * Commits a transaction whose XA branches, by the proxy's account, ran only reads: the atomic
     * protocol guards writes on several groups, and a branch that wrote nothing has nothing to
     * guard. Each XA branch whose group ran a SELECT that may call a stored function (which may write) has its
     * InnoDB transaction asked how many rows it modified; when every one modified none, each is ended with
     * {@code XA COMMIT ... ONE PHASE}, then the plain branch commits alone and decides the outcome,
     * as a single-group transaction does: no commit marker, no prepare, no logged decision. Any
     * branch that wrote, or that cannot be asked, takes the full protocol ({@link #commit}).
     *
     * @param branches the plain first branch, then the XA branches
     * @param toAsk    the groups whose branch may have written through a stored function; the others ran
     *                 only SELECTs that provably write nothing
     * @throws SQLException when the transaction did not commit (see {@link #commit}), or the plain
     *     branch's COMMIT failed (its outcome is then the backend's, as for one group)
     */
    public void commitReadingBranches(List<Branch> branches, Set<String> toAsk) throws SQLException {
        List<Branch> xa = branches.subList(1, branches.size());
        for (Branch branch : xa) {
            if (toAsk.contains(branch.group()) && !modifiedNoRows(branch.connection())) {
                commit(branches);
                return;
            }
        }
        int ended = 0;
        try {
            for (Branch branch : xa) {
                branch.connection().run("XA END " + branch.xid().sql());
                branch.connection().run("XA COMMIT " + branch.xid().sql() + " ONE PHASE");
                ended++;
            }
        } catch (SQLException e) {
            List<Branch> open = new ArrayList<>(branches.subList(ended + 1, branches.size()));
            open.addFirst(branches.getFirst());
            rollback(open);
            throw rolledBack("ending its reading branches", e);
        }
        branches.getFirst().connection().run("COMMIT");
    }

    /**
     * Whether the connection's open InnoDB transaction modified no row (none started counts as none);
     * false when that cannot be learned (the account may lack the PROCESS privilege INNODB_TRX needs).
     */
    private static boolean modifiedNoRows(BackendConnection connection) {
        try (Statement statement = connection.jdbc().createStatement();
             ResultSet rows = statement.executeQuery("SELECT trx_rows_modified FROM information_schema.INNODB_TRX"
                     + " WHERE trx_mysql_thread_id = CONNECTION_ID()")) {
            return !rows.next() || rows.getLong(1) == 0;
        } catch (SQLException e) {
            log.debug("asking InnoDB whether an XA branch wrote failed: {}", e.getMessage());
            return false;
        }
    }

    /**
     * The first branch's COMMIT failed: it may or may not have committed (a lost connection). The
     * marker, read with a lock on a fresh connection, tells; the XA branches follow it.
     */
    private void settleAfterFailedFirstCommit(String gtrid, String markerGroup, List<Branch> xa, SQLException cause)
            throws SQLException {
        boolean committed;
        try (BackendConnection fresh = pools.primaryConnection(markerGroup, false)) {
            committed = markerExists(fresh, gtrid);
        } catch (SQLException e) {
            cause.addSuppressed(e);
            String failure = "the COMMIT of transaction " + gtrid + " on shard group " + markerGroup
                    + " failed and its outcome cannot be learned now (" + cause.getMessage() + ")";
            // Their connections, open with the branches attached, would keep the retries from ending them.
            xa.forEach(branch -> branch.connection().abort());
            handOver(gtrid, markerGroup, xa.stream().map(Branch::group).toList(), null, failure);
            throw new SQLException(failure + "; its other branches stay prepared until the proxy, retrying in the"
                    + " background, reads its commit marker on shard group " + markerGroup + " and ends them as it"
                    + " says", "HY000", 1105, cause);
        }
        finish(gtrid, markerGroup, xa, committed);
        outcomes.accept(committed);
        if (!committed) {
            throw rolledBack("committing on shard group " + markerGroup, cause);
        }
    }

    /**
     * Ends the XA branches as decided; once all ended, queues the marker's deletion, after which the decision is
     * resolved (at once when there is no marker: the transaction rolled back). Branches that cannot be ended now are
     * handed to the background retries, which do the rest.
     */
    private void finish(String gtrid, String markerGroup, List<Branch> xa, boolean commit) {
        Set<String> notEnded = ConcurrentHashMap.newKeySet();
        try {
            BranchSteps.atOnce(xa, branch -> {
                if (!endPrepared(branch, commit)) {
                    notEnded.add(branch.group());
                    throw new SQLException("shard group " + branch.group() + " did not end its branch");
                }
            });
        } catch (SQLException e) {
            handOver(gtrid, markerGroup, notEnded, commit, (commit ? "XA COMMIT" : "XA ROLLBACK")
                    + " failed on the branch's connection and on a fresh one");
            return;
        }
        ended(gtrid, markerGroup, commit);
    }

    /**
     * Leaves the transaction's prepared branches on {@code groups} to recovery's background retries.
     *
     * @param outcome true commit, false roll back, null when the commit marker is to tell
     */
    private void handOver(String gtrid, String markerGroup, Collection<String> groups, Boolean outcome,
                          String reason) {
        recovery.handOver(new StrandedCommits.Stranded(gtrid, markerGroup, new TreeSet<>(groups), outcome, committed -> {
            ended(gtrid, markerGroup, committed);
            if (outcome == null) {
                outcomes.accept(committed);
            }
        }), reason);
    }

    /** Every XA branch has ended: queues the marker's deletion, or resolves the decision when there is no marker. */
    private void ended(String gtrid, String markerGroup, boolean commit) {
        if (commit) {
            markers.add(markerGroup, gtrid);
            return;
        }
        try {
            decisions.resolved(gtrid);
        } catch (IOException e) {
            log.warn("transaction {}: its decision stays pending until the next recovery: {}", gtrid, e.getMessage());
        }
    }

    /**
     * XA COMMIT / ROLLBACK of a prepared branch, on its connection or, if that fails, a fresh one. The branch's
     * connection is aborted first: while it is open the branch stays attached to it, and another connection that
     * ends it gets XAER_NOTA; closed, it leaves the branch prepared on the server for anyone to end (as
     * a proxy crash does). It must never be reset into the pool instead: MariaDB 11.4 then leaves the branch in a
     * state no connection ends (an {@code XA ROLLBACK} elsewhere answers OK, the row stays locked, the branch is
     * prepared again after the server's next start) and fails that connection's reads of its tables (1031).
     */
    private boolean endPrepared(Branch branch, boolean commit) {
        String sql = (commit ? "XA COMMIT " : "XA ROLLBACK ") + branch.xid().sql();
        try {
            branch.connection().run(sql);
            return true;
        } catch (SQLException first) {
            branch.connection().abort();
            try (BackendConnection fresh = pools.primaryConnection(branch.group(), false)) {
                fresh.run(sql);
                return true;
            } catch (SQLException second) {
                log.error("{} on shard group {} failed: {}; then {}", sql, branch.group(), first.getMessage(),
                        second.getMessage());
                return false;
            }
        }
    }

    /**
     * Rolls back a transaction whose commit failed at {@code step}, before its decision was logged, its XA branches
     * perhaps prepared. Those that cannot be rolled back now (their group lost) are handed to the background
     * retries, to be rolled back as soon as their group answers instead of keeping their row locks until the next
     * start: rolled back, since the first branch never commits (its ROLLBACK ran, or its connection died), so no
     * marker can exist.
     *
     * @return the client's error (XA100), saying which branches are rolled back in the background
     */
    private SQLException rolledBackBeforeDecision(String gtrid, String markerGroup, List<Branch> branches, String step,
                                                  SQLException cause) {
        Failpoint.BEFORE_ROLLBACK.reach();
        Set<String> notEnded = new TreeSet<>();
        rollback(branches, notEnded::add);
        if (!notEnded.isEmpty()) {
            handOver(gtrid, markerGroup, notEnded, false, "its commit failed while " + step
                    + ", then XA ROLLBACK failed on the branch's connection and on a fresh one");
        }
        return rolledBack(step, cause, notEnded);
    }

    /**
     * Rolls every branch back (plain ones with ROLLBACK, XA ones with XA END + XA ROLLBACK,
     * whatever state they reached). For a transaction none of whose XA branches was prepared (a client's ROLLBACK, a
     * session that ends, a deadlock, a failed read-only commit): one that cannot be rolled back here has its connection
     * closed, and the server rolls back an unprepared branch whose connection is gone. A commit's failure after
     * PREPARE may have run takes {@link #rolledBackBeforeDecision} instead.
     *
     * @return the first failure, or null
     */
    public SQLException rollback(List<Branch> branches) {
        return rollback(branches, group -> { });
    }

    /**
     * As {@link #rollback(List)}; {@code notEnded} is told the group of each XA branch whose XA ROLLBACK failed on its
     * connection and on a fresh one (see {@link #endPrepared}), which may still be prepared there.
     */
    private SQLException rollback(List<Branch> branches, Consumer<String> notEnded) {
        if (branches.stream().anyMatch(Branch::isXa)) {
            outcomes.accept(false);
        }
        SQLException failure = null;
        for (Branch branch : branches) {
            try {
                if (branch.isXa()) {
                    try {
                        branch.connection().run("XA END " + branch.xid().sql());
                    } catch (SQLException alreadyEnded) {
                        // XAER_RMFAIL: the branch was already ended or prepared; XA ROLLBACK still applies.
                    }
                    if (!endPrepared(branch, false)) {
                        notEnded.accept(branch.group());
                        throw new SQLException("XA ROLLBACK of " + branch.xid().sql() + " failed", "HY000", 1105);
                    }
                } else {
                    branch.connection().run("ROLLBACK");
                }
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        return failure;
    }

    private static SQLException rolledBack(String step, SQLException cause) {
        return rolledBack(step, cause, Set.of());
    }

    /** As {@link #rolledBack(String, SQLException)}, naming the groups whose branches are rolled back later. */
    private static SQLException rolledBack(String step, SQLException cause, Set<String> inTheBackground) {
        String later = inTheBackground.isEmpty() ? ""
                : "; its branch(es) on shard group(s) " + String.join(", ", inTheBackground) + " could not be"
                        + " rolled back now and may hold their row locks until the proxy, retrying in the background,"
                        + " rolls them back once their group answers";
        return new SQLException("the transaction over several shard groups failed while " + step + " and was rolled back: "
                + cause.getMessage() + later, "XA100", 1402, cause);
    }

    /**
     * Writes the commit marker in the plain branch. The table is made at start by recovery, which skips a group it
     * cannot reach then (a slow start): such a group gets it here, on a connection of its own, since DDL on the
     * branch's connection would commit the branch.
     */
    private void insertMarker(Branch plain, String gtrid) throws SQLException {
        try {
            plain.connection().run(CommitMarkers.insert(gtrid));
        } catch (SQLException e) {
            if (e.getErrorCode() != MySQLErrorCode.ER_NO_SUCH_TABLE.errorCode()) {
                throw e;
            }
            try (BackendConnection connection = pools.primaryConnection(plain.group(), false)) {
                createMarkerTable(connection);
            }
            log.info("created the commit marker table on shard group {}, which start-up recovery could not reach",
                    plain.group());
            plain.connection().run(CommitMarkers.insert(gtrid));
        }
    }

    /** Creates the commit marker table (and its database) where it is missing. */
    static void createMarkerTable(BackendConnection connection) throws SQLException {
        connection.run(CommitMarkers.CREATE_DATABASE);
        connection.run(CommitMarkers.CREATE_TABLE);
    }

    static boolean markerExists(BackendConnection connection, String gtrid) throws SQLException {
        try (Statement statement = connection.jdbc().createStatement();
             ResultSet rows = statement.executeQuery(CommitMarkers.exists(gtrid))) {
            return rows.next();
        }
    }

    /** Shard groups whose start-up recovery is not finished (retried in the background), 0 once it is. */
    public int recoveryPendingGroups() {
        return recovery.pendingGroups();
    }

    /** Decisions logged before this start whose commit markers start-up recovery has not deleted yet. */
    public int recoveryPendingDecisions() {
        return recovery.pendingDecisions();
    }

    /** Transactions of this run whose prepared branches a commit could not end, left to the background retries. */
    public int recoveryPendingTransactions() {
        return recovery.pendingTransactions();
    }

    @Override
    public void close() throws IOException {
        if (recovery != null) {
            recovery.close();
        }
        markers.close();
        decisions.close();
    }
}
