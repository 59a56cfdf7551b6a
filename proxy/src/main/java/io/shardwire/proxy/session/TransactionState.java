package io.shardwire.proxy.session;

import io.shardwire.proxy.backend.BackendConnection;
import io.shardwire.proxy.xa.Branch;
import io.shardwire.proxy.xa.CrossGroupCommits;
import io.shardwire.proxy.xa.Xid;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A session's transaction over the shard groups its statements reach. BEGIN (or autocommit off) is
 * held until a statement routes somewhere; each group the transaction then reaches is enlisted on
 * the session's one connection to it, lazily: the first group with the client's own BEGIN (a plain
 * transaction), every later group with {@code XA START}, so that a transaction that stays on one
 * group never carries XA, and one that spreads commits atomically through {@link CrossGroupCommits}.
 * A {@code START TRANSACTION READ ONLY} transaction begins plainly everywhere: it writes nothing, so
 * ending its branches one by one is atomic enough.
 *
 * <p>Savepoints are replayed on every enlisted group; a group enlisted after a savepoint gets the
 * savepoint right after it begins (with no work before it), so ROLLBACK TO undoes all that
 * transaction did there, as on one server. {@code SET TRANSACTION ...} (the next transaction's
 * characteristics) is applied on each group just before the transaction begins there.
 *
 * <p>Not thread-safe: owned by one session.
 */
final class TransactionState {

    /** The session's pinned connections. */
    interface Connections {
        /** The session's connection to the group, opened and pinned on first use. */
        BackendConnection connection(String group) throws SQLException;

        /** Whether the connection is still the session's (not dropped after a failure). */
        boolean holds(BackendConnection connection);

        /** Forgets a connection that was aborted while the transaction ended: the group's next statement takes a new one. */
        void forget(BackendConnection connection);
    }

    private final CrossGroupCommits commits;
    private final Connections connections;
    private boolean explicit;
    private boolean implicit;
    private String beginSql;
    private boolean readOnly;
    private boolean autocommitOff;
    private final Set<String> autocommitOffGroups = new HashSet<>();
    private final Map<String, Branch> branches = new LinkedHashMap<>();
    /** Groups where the transaction ran something other than a SELECT (a write, DDL, a procedure...). */
    private final Set<String> writtenGroups = new HashSet<>();
    /** Groups where a SELECT ran that may have written through a stored function it called. */
    private final Set<String> readMaybeWrittenGroups = new HashSet<>();
    private final List<String> savepoints = new ArrayList<>();
    private String nextCharacteristics;
    private String gtrid;

    TransactionState(CrossGroupCommits commits, Connections connections) {
        this.commits = commits;
        this.connections = connections;
    }

    /** Whether statements now run inside a transaction (BEGIN seen, or autocommit off). */
    boolean active() {
        return explicit || autocommitOff || implicit;
    }

    /** Whether an explicit BEGIN is open. */
    boolean explicit() {
        return explicit;
    }

    /** Whether the session turned autocommit off. */
    boolean autocommitOff() {
        return autocommitOff;
    }

    /** The group the transaction began on (its plain branch), or null while it touched none. */
    String firstGroup() {
        return branches.isEmpty() ? null : branches.keySet().iterator().next();
    }

    /** BEGIN / START TRANSACTION, held until a statement routes; the previous transaction has ended. */
    void begin(String sql) {
        explicit = true;
        beginSql = sql;
        readOnly = sql.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").contains("READ ONLY");
    }

    /**
     * A write over several data nodes outside any transaction: it runs as a transaction of its own,
     * enlisted and committed (or rolled back) like an explicit one, so that it is all or nothing.
     */
    void beginImplicit() {
        implicit = true;
        beginSql = "BEGIN";
    }

    /** SET autocommit = 0: statements from now on form transactions until COMMIT / ROLLBACK. */
    void turnAutocommitOff() {
        autocommitOff = true;
    }

    /** SET autocommit = 1, after the open transaction was committed: the groups switched to autocommit=0 switch back. */
    void turnAutocommitOn() throws SQLException {
        for (String group : List.copyOf(autocommitOffGroups)) {
            connections.connection(group).run("SET autocommit = 1");
            autocommitOffGroups.remove(group);
        }
        autocommitOff = false;
    }

    /** Whether a SET TRANSACTION waits for the next transaction. */
    boolean hasNextCharacteristics() {
        return nextCharacteristics != null;
    }

    /**
     * A statement ran in autocommit: it was the next transaction, so a waiting SET TRANSACTION is used up (MariaDB
     * applies it to that statement; the proxy does not, but it no longer carries it to a later transaction).
     */
    void autocommitStatementRan() {
        nextCharacteristics = null;
    }

    /** SET TRANSACTION ...: kept for the next transaction's branches. */
    void nextCharacteristics(String sql) {
        nextCharacteristics = sql;
    }

    /** What a statement may do on the groups it reaches. */
    enum Effect {
        /** It may write: a write, DDL, a procedure... */
        WRITES,
        /** A SELECT, which may still write through a stored function it calls. */
        READS,
        /** A SELECT that provably writes nothing: it calls no stored function. */
        ONLY_READS
    }

    /**
     * Makes every group in {@code groups} part of the open transaction, beginning it where it is not
     * yet (see the class comment), for a statement of that {@code effect} there (a transaction whose
     * later groups only read commits without the atomic protocol). Does nothing outside a transaction.
     *
     * @throws SQLException if a group's connection cannot be had, a branch cannot begin, or a
     *     branch's connection was lost (the transaction is then broken: the client must roll back)
     */
    void enlist(Collection<String> groups, Effect effect) throws SQLException {
        if (!active()) {
            return;
        }
        switch (effect) {
            case WRITES -> writtenGroups.addAll(groups);
            case READS -> readMaybeWrittenGroups.addAll(groups);
            case ONLY_READS -> { }
        }
        // Groups in name order; a single group (most statements) needs no sorted copy.
        for (String group : groups.size() == 1 ? groups : new TreeSet<>(groups)) {
            Branch branch = branches.get(group);
            if (branch != null) {
                if (!connections.holds(branch.connection())) {
                    throw lost(group);
                }
                continue;
            }
            BackendConnection connection = connections.connection(group);
            if (autocommitOff && autocommitOffGroups.add(group)) {
                connection.run("SET autocommit = 0");
            }
            if (nextCharacteristics != null) {
                connection.run(nextCharacteristics);
            }
            Xid xid = null;
            if (branches.isEmpty() || readOnly) {
                if (explicit || implicit) {
                    connection.run(beginSql);
                }
            } else {
                if (gtrid == null) {
                    gtrid = commits.newGtrid();
                }
                xid = new Xid(gtrid, group);
                connection.run("XA START " + xid.sql());
            }
            branches.put(group, new Branch(group, connection, xid));
            for (String savepoint : savepoints) {
                connection.run("SAVEPOINT " + quoted(savepoint));
            }
        }
    }

    /**
     * COMMIT: plainly on one group (or on each, for a read-only transaction), else atomically over
     * every group by XA, unless every XA branch only read (then the plain branch decides alone, see
     * {@link CrossGroupCommits#commitReadingBranches}). The transaction has ended afterwards, whatever
     * the outcome.
     */
    void commit() throws SQLException {
        boolean xaBranchesOnlyRead = branches.values().stream()
                .noneMatch(branch -> branch.isXa() && writtenGroups.contains(branch.group()));
        Set<String> readMaybeWritten = Set.copyOf(readMaybeWrittenGroups);
        List<Branch> ending = end();
        try {
            for (Branch branch : ending) {
                if (!connections.holds(branch.connection())) {
                    commits.rollback(ending.stream().filter(b -> connections.holds(b.connection())).toList());
                    throw new SQLException("the transaction's connection to shard group " + branch.group()
                            + " was lost; the transaction was rolled back", "XA100", 1402);
                }
            }
            if (ending.size() > 1 && ending.get(1).isXa()) {
                if (xaBranchesOnlyRead) {
                    commits.commitReadingBranches(ending, readMaybeWritten);
                } else {
                    commits.commit(ending);
                }
                return;
            }
            for (Branch branch : ending) {
                branch.connection().run("COMMIT");
            }
        } finally {
            forgetAborted(ending);
        }
    }

    /** ROLLBACK of every branch; the transaction has ended afterwards. */
    void rollback() throws SQLException {
        List<Branch> ending = end().stream().filter(b -> connections.holds(b.connection())).toList();
        SQLException failure = commits.rollback(ending);
        forgetAborted(ending);
        if (failure != null) {
            throw failure;
        }
    }

    /** InnoDB's deadlock error, and the one an XA branch rolled back by a deadlock reports. */
    private static final int ER_LOCK_DEADLOCK = 1213;
    private static final int ER_XA_RBDEADLOCK = 1614;

    /**
     * A statement of the transaction failed with {@code errorCode}. A deadlock rolled the whole transaction back on
     * its group, so, as on one server, the transaction ends there and everywhere else: every other branch is rolled
     * back too (else a retry, which begins anew, would first commit the other groups' half).
     */
    void statementFailed(int errorCode) {
        if ((errorCode == ER_LOCK_DEADLOCK || errorCode == ER_XA_RBDEADLOCK) && !branches.isEmpty()) {
            List<Branch> ending = end().stream().filter(b -> connections.holds(b.connection())).toList();
            commits.rollback(ending);
            forgetAborted(ending);
        }
    }

    /**
     * Forgets the branches' connections that ending them aborted: one whose {@code XA COMMIT} / {@code XA ROLLBACK}
     * failed, or whose branch was left prepared for the background retries, is closed instead of going on (see
     * {@link CrossGroupCommits}).
     */
    private void forgetAborted(List<Branch> ended) {
        for (Branch branch : ended) {
            if (branch.connection().released()) {
                connections.forget(branch.connection());
            }
        }
    }

    /** Rolls back whatever is open, for a session that ends (client gone, reset). */
    void abandon() {
        commits.rollback(end().stream().filter(b -> connections.holds(b.connection())).toList());
        autocommitOff = false;
        autocommitOffGroups.clear();
        nextCharacteristics = null;
    }

    /** SAVEPOINT name on every enlisted group, remembered for groups enlisted later. */
    void savepoint(String name, String sql) throws SQLException {
        if (!active()) {
            return;
        }
        for (Branch branch : liveBranches()) {
            branch.connection().run(sql);
        }
        savepoints.remove(name);
        savepoints.add(name);
    }

    /** ROLLBACK TO name on every enlisted group; later savepoints are forgotten, as MySQL does. */
    void rollbackTo(String name, String sql) throws SQLException {
        int index = indexOf(name);
        for (Branch branch : liveBranches()) {
            branch.connection().run(sql);
        }
        savepoints.subList(index + 1, savepoints.size()).clear();
    }

    /** RELEASE SAVEPOINT name on every enlisted group; it and later savepoints are forgotten. */
    void release(String name, String sql) throws SQLException {
        int index = indexOf(name);
        for (Branch branch : liveBranches()) {
            branch.connection().run(sql);
        }
        savepoints.subList(index, savepoints.size()).clear();
    }

    private int indexOf(String name) throws SQLException {
        for (int i = 0; i < savepoints.size(); i++) {
            if (savepoints.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new SQLException("SAVEPOINT " + name + " does not exist", "42000", 1305);
    }

    private List<Branch> liveBranches() throws SQLException {
        for (Branch branch : branches.values()) {
            if (!connections.holds(branch.connection())) {
                throw lost(branch.group());
            }
        }
        return List.copyOf(branches.values());
    }

    /** Forgets the transaction, returning its branches to be ended. */
    private List<Branch> end() {
        List<Branch> ending = List.copyOf(branches.values());
        if (!ending.isEmpty() || explicit) {
            // SET TRANSACTION belonged to this transaction, even one that ran nothing.
            nextCharacteristics = null;
        }
        branches.clear();
        writtenGroups.clear();
        readMaybeWrittenGroups.clear();
        savepoints.clear();
        explicit = false;
        implicit = false;
        beginSql = null;
        readOnly = false;
        gtrid = null;
        return ending;
    }

    private static SQLException lost(String group) {
        return new SQLException("the transaction's connection to shard group " + group
                + " was lost, and the transaction with it; end it with ROLLBACK", "HY000", 1105);
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
