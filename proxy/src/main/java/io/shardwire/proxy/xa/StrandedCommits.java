package io.shardwire.proxy.xa;

import io.shardwire.proxy.backend.BackendConnection;
import io.shardwire.proxy.backend.BackendPools;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-group transactions of this run whose prepared XA branches the commit path could not end: an
 * {@code XA COMMIT} (or {@code XA ROLLBACK}) that failed on the branch's connection and on a fresh one, also when
 * the commit failed before its decision was logged (a prepare step, or the log) and rolls back, or a first branch
 * whose COMMIT failed with an outcome that could not be learned. Their branches hold row locks, so
 * {@link XaRecovery}'s background retries end them as soon as their groups answer ({@link #settle}, one round per
 * retry), by the rule recovery applies: commit iff the decision is logged and the commit marker exists. An outcome
 * the commit path already learned is that rule's answer (its first branch committed, so the marker exists until
 * every branch has ended; or the marker was read absent with a lock after its COMMIT failed; or the commit failed
 * before its decision, so its first branch never commits and has no marker) and is used as is;
 * an unknown one is asked of the marker, read {@code FOR UPDATE} on its group, and while that cannot be read the
 * branches stay prepared: never rolled back for want of an answer.
 *
 * <p>Safety against the live path. Only the gtrids handed over are touched, never by listing this run's prepared
 * branches (those of commits under way), and start-up recovery's rounds skip this run's gtrids altogether. A
 * gtrid is handed over once, by the commit that made it, after every step of that commit has returned (the
 * branch steps are joined), and that commit does nothing more with it: the hand-over ends the live path's part,
 * so the live path and the retries never act on one transaction at the same time. An {@code XA COMMIT} the live
 * path sent whose answer was lost may still have ended the branch on the server: the retries act only on
 * branches {@code XA RECOVER} still lists, and take a branch it no longer lists as ended, which it can only have
 * been by the same outcome (nothing else ends this run's branches; a branch handed over by a commit that failed
 * before its decision may never have been prepared, and the server rolled it back when its connection died, as
 * decided). A retry's own {@code XA COMMIT} whose answer is lost is seen the same way in the next round. Each
 * transaction is ended once: when its last branch has ended its callback runs (the marker's deletion is queued, or
 * the decision resolved, as the commit path does) and it leaves this set. If the proxy stops first, its decision is
 * still pending in the {@link DecisionLog} (or was never logged: rolled back), and the next start's recovery settles
 * its branches by the same rule.
 *
 * <p>Thread-safe: {@link #add} from any session; {@link #settle} from the retry thread only.
 */
final class StrandedCommits {

    private static final Logger log = LoggerFactory.getLogger(StrandedCommits.class);

    /**
     * One transaction handed over.
     *
     * @param gtrid       its global transaction id
     * @param markerGroup the group of its first branch, holding its commit marker
     * @param groups      the groups of its branches still prepared
     * @param outcome     true commit, false roll back, null when it is to be learned from the marker
     * @param onEnded     told the outcome once every branch has ended
     */
    record Stranded(String gtrid, String markerGroup, Set<String> groups, Boolean outcome,
                    Consumer<Boolean> onEnded) {
    }

    /** A transaction's state while it waits: the groups still prepared, and the outcome once known. */
    private static final class Waiting {
        final Stranded stranded;
        final Set<String> left;
        final long since = System.nanoTime();
        Boolean outcome;

        Waiting(Stranded stranded) {
            this.stranded = stranded;
            this.left = new TreeSet<>(stranded.groups());
            this.outcome = stranded.outcome();
        }
    }

    private final BackendPools pools;
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

    StrandedCommits(BackendPools pools) {
        this.pools = pools;
    }

    /** Takes a transaction over from the commit path (logged at WARN with why); the caller then wakes the retries. */
    void add(Stranded stranded, String reason) {
        waiting.put(stranded.gtrid(), new Waiting(stranded));
        log.warn("XA transaction {} handed to the background retries: {}; its prepared branch(es) on shard group(s) {}"
                        + " keep their row locks until they are {}, retried at most every {} s without a restart",
                stranded.gtrid(), reason, new TreeSet<>(stranded.groups()), stranded.outcome() == null
                        ? "ended as its commit marker on shard group " + stranded.markerGroup() + " says"
                        : stranded.outcome() ? "committed" : "rolled back",
                XaRecovery.MAX_RETRY_MS / 1_000);
    }

    /** Transactions handed over and not yet ended. */
    int size() {
        return waiting.size();
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** One round: learns the unknown outcomes it can, then ends every branch it can, group by group. */
    void settle() {
        List<Waiting> due = new ArrayList<>();
        for (Waiting transaction : waiting.values()) {
            if (transaction.outcome == null) {
                transaction.outcome = markerExists(transaction.stranded);
            }
            if (transaction.outcome != null) {
                due.add(transaction);
            }
        }
        Map<String, List<Waiting>> byGroup = new LinkedHashMap<>();
        for (Waiting transaction : due) {
            transaction.left.forEach(group -> byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(transaction));
        }
        byGroup.forEach(this::settleOn);
        for (Waiting transaction : due) {
            if (transaction.left.isEmpty()) {
                waiting.remove(transaction.stranded.gtrid());
                log.info("XA transaction {} settled in the background: its branch(es) on shard group(s) {} {}, {} s"
                                + " after it was handed over", transaction.stranded.gtrid(),
                        new TreeSet<>(transaction.stranded.groups()), transaction.outcome ? "committed" : "rolled back",
                        (System.nanoTime() - transaction.since) / 1_000_000_000);
                transaction.stranded.onEnded().accept(transaction.outcome);
            }
        }
    }

    /** Ends the transactions' branches on one group, those {@code XA RECOVER} still lists; leaves all on failure. */
    private void settleOn(String group, List<Waiting> transactions) {
        try (BackendConnection connection = pools.primaryConnection(group, false)) {
            Set<String> gtrids = new HashSet<>();
            transactions.forEach(transaction -> gtrids.add(transaction.stranded.gtrid()));
            Set<String> prepared = new HashSet<>();
            for (Xid xid : XaRecovery.prepared(connection, gtrids::contains)) {
                if (xid.group().equals(group)) {
                    prepared.add(xid.gtrid());
                }
            }
            for (Waiting transaction : transactions) {
                if (prepared.contains(transaction.stranded.gtrid())) {
                    Xid xid = new Xid(transaction.stranded.gtrid(), group);
                    connection.run((transaction.outcome ? "XA COMMIT " : "XA ROLLBACK ") + xid.sql());
                }
                transaction.left.remove(group);
            }
        } catch (SQLException e) {
            log.debug("XA: ending branches handed over on shard group {} failed, retried later: {}", group,
                    e.getMessage());
        }
    }

    /** Whether the transaction's marker exists (its first branch committed), null while its group cannot be read. */
    private Boolean markerExists(Stranded stranded) {
        try (BackendConnection connection = pools.primaryConnection(stranded.markerGroup(), false)) {
            return CrossGroupCommits.markerExists(connection, stranded.gtrid());
        } catch (SQLException e) {
            log.debug("XA: reading the commit marker of {} on shard group {} failed, retried later: {}",
                    stranded.gtrid(), stranded.markerGroup(), e.getMessage());
            return null;
        }
    }
}
