package io.shardwire.proxy.deadlock;

import io.micrometer.core.instrument.Counter;
import io.shardwire.proxy.backend.BackendConnection;
import io.shardwire.proxy.backend.BackendPools;
import io.shardwire.proxy.deadlock.WaitForGraph.Wait;
import io.shardwire.proxy.session.SessionRegistry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and breaks deadlocks whose cycle spans shard groups. Session A holds a row on g1 and waits on g2 for a row B
 * holds, while B waits on g1 for A's: each server sees one lock wait, not a cycle, so without this both would wait
 * out {@code innodb_lock_wait_timeout} (50 s by default). Every {@value #CHECK_INTERVAL_MS} ms, while two sessions or
 * more run statements on backends and one of them holds connections to two groups or more, it reads the lock waits of
 * every group those sessions hold connections to (InnoDB's
 * {@code INNODB_LOCK_WAITS}, with the waiting query's id from {@code PROCESSLIST}), maps the server threads to the
 * proxy sessions that hold them and looks for cycles ({@link WaitForGraph}). A cycle seen in two checks in a row,
 * with the very same waiting queries, is a deadlock (two snapshots of different servers, taken moments apart, could
 * show a cycle that never was): the session that connected last is the victim. It is marked first, then its waiting
 * query is killed by id ({@code KILL QUERY ID}, so nothing that thread runs later can be hit), so its statement
 * fails with 1213 and its transaction is rolled back on every group, as after a deadlock on one server; the others
 * go on.
 *
 * <p>Needs the proxy's account to see other threads' transactions ({@code PROCESS}); a group that refuses is logged
 * once and checked again at each round. MariaDB only ({@code KILL QUERY ID}).
 *
 * <p>Thread-safe: one checking thread.
 */
public final class GlobalDeadlocks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GlobalDeadlocks.class);
    private static final long CHECK_INTERVAL_MS = 200;
    private static final String LOCK_WAITS = "SELECT r.trx_mysql_thread_id, p.QUERY_ID, b.trx_mysql_thread_id"
            + " FROM information_schema.INNODB_LOCK_WAITS w"
            + " JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id"
            + " JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id"
            + " JOIN information_schema.PROCESSLIST p ON p.ID = r.trx_mysql_thread_id";
    /** MariaDB's answer to KILL QUERY ID for a query that is no longer running. */
    private static final int ER_NO_SUCH_QUERY = 1957;

    private final SessionRegistry sessions;
    private final BackendPools pools;
    private final Counter broken;
    private final ScheduledExecutorService checker;
    /** The waits of the previous check that were part of a cross-group cycle. */
    private Set<Wait> suspected = Set.of();
    /** Groups whose lock waits could not be read, to log each failure once until it reads again. */
    private final Set<String> unreadable = new HashSet<>();

    private GlobalDeadlocks(SessionRegistry sessions, BackendPools pools, Counter broken) {
        this.sessions = sessions;
        this.pools = pools;
        this.broken = broken;
        this.checker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("shardwire-deadlocks").daemon().factory());
    }

    /**
     * Starts checking the live sessions every {@value #CHECK_INTERVAL_MS} ms.
     *
     * @param broken counts the deadlocks broken
     */
    public static GlobalDeadlocks start(SessionRegistry sessions, BackendPools pools, Counter broken) {
        GlobalDeadlocks deadlocks = new GlobalDeadlocks(sessions, pools, broken);
        deadlocks.checker.scheduleWithFixedDelay(deadlocks::checkQuietly, CHECK_INTERVAL_MS, CHECK_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
        return deadlocks;
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("checking for deadlocks across shard groups failed", e);
        }
    }

    /** One round: read the waits, break each cycle seen twice. */
    private void check() {
        SortedMap<Long, SessionRegistry.Control> live = sessions.all();
        // group -> server thread -> session, of the sessions running a statement: every member of a cycle waits in
        // one. A cycle over several groups has a member holding a lock on one group and waiting on another, so without
        // a running session that holds connections to two groups, or with fewer than two running, there is none.
        Map<String, Map<Long, Long>> owners = new HashMap<>();
        boolean spread = false;
        int running = 0;
        for (Map.Entry<Long, SessionRegistry.Control> session : live.entrySet()) {
            Map<String, Long> threads = session.getValue().backendThreads();
            spread |= threads.size() > 1;
            running += threads.isEmpty() ? 0 : 1;
            threads.forEach((group, thread) ->
                    owners.computeIfAbsent(group, g -> new HashMap<>()).put(thread, session.getKey()));
        }
        if (!spread || running < 2) {
            suspected = Set.of();
            return;
        }
        List<Wait> waits = new ArrayList<>();
        for (String group : new TreeSet<>(owners.keySet())) {
            waits.addAll(waitsOn(group, owners.get(group)));
        }
        Set<Wait> inCycles = new HashSet<>();
        for (List<Wait> cycle : new WaitForGraph(waits).crossGroupCycles()) {
            inCycles.addAll(cycle);
            if (suspected.containsAll(cycle)) {
                breakCycle(cycle, live);
                // Its waits end with the victim's statement: seen again, they are a new deadlock (a retry's).
                inCycles.removeAll(cycle);
            }
        }
        suspected = inCycles;
    }

    /** The lock waits on the group between sessions in {@code owners}; none when they cannot be read. */
    private List<Wait> waitsOn(String group, Map<Long, Long> owners) {
        List<Wait> waits = new ArrayList<>();
        try (BackendConnection connection = pools.primaryConnection(group, false);
             Statement statement = connection.jdbc().createStatement();
             ResultSet rows = statement.executeQuery(LOCK_WAITS)) {
            while (rows.next()) {
                Long waiter = owners.get(rows.getLong(1));
                Long holder = owners.get(rows.getLong(3));
                if (waiter != null && holder != null) {
                    waits.add(new Wait(waiter, holder, group, rows.getLong(1), rows.getLong(2)));
                }
            }
            if (unreadable.remove(group)) {
                log.info("shard group {}: lock waits readable again; deadlocks across groups are broken again", group);
            }
        } catch (SQLException e) {
            if (unreadable.add(group)) {
                log.warn("shard group {}: cannot read its lock waits ({}); a deadlock across shard groups that"
                        + " involves it waits out innodb_lock_wait_timeout (reading them takes PROCESS for the"
                        + " proxy's account and MariaDB's information_schema.INNODB_LOCK_WAITS)", group,
                        e.getMessage());
            }
        }
        return waits;
    }

    private void breakCycle(List<Wait> cycle, Map<Long, SessionRegistry.Control> live) {
        Wait victim = cycle.stream().max(Comparator.comparingLong(Wait::waiter)).orElseThrow();
        SessionRegistry.Control session = live.get(victim.waiter());
        if (session == null) {
            return;
        }
        Set<String> groups = new TreeSet<>();
        List<Long> members = new ArrayList<>();
        cycle.forEach(wait -> {
            groups.add(wait.group());
            members.add(wait.waiter());
        });
        String message = "Deadlock found when trying to get lock; try restarting transaction (a deadlock across shard"
                + " groups " + String.join(", ", groups) + " between sessions " + members + "; this transaction was"
                + " chosen to roll back)";
        session.chosenAsDeadlockVictim(message);
        try (BackendConnection connection = pools.primaryConnection(victim.group(), false);
             Statement statement = connection.jdbc().createStatement()) {
            statement.execute("KILL QUERY ID " + victim.queryId());
            broken.increment();
            log.warn("deadlock across shard groups {} between sessions {}: rolled back session {}'s transaction (its"
                    + " statement waited on {})", groups, members, victim.waiter(), victim.group());
        } catch (SQLException e) {
            session.chosenAsDeadlockVictim(null);
            if (e.getErrorCode() != ER_NO_SUCH_QUERY) {
                log.warn("could not interrupt session {}'s waiting statement on shard group {} to break a deadlock"
                        + " across groups {}: {}", victim.waiter(), victim.group(), groups, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
