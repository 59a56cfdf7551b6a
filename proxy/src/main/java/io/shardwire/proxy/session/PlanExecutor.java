package io.shardwire.proxy.session;

import com.mysql.cj.result.Field;
import io.shardwire.config.RouterConfig;
import io.shardwire.proxy.backend.BackendConnection;
import io.shardwire.proxy.backend.BackendPreparedStatement;
import io.shardwire.proxy.backend.BackendStatement;
import io.shardwire.proxy.backend.BufferedNodeRows;
import io.shardwire.proxy.backend.NodeRows;
import io.shardwire.proxy.metrics.StatementType;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.proxy.protocol.constant.MySQLStatusFlag;
import io.shardwire.router.merge.MergeException;
import io.shardwire.router.merge.MergedResult;
import io.shardwire.router.merge.ResultMerger;
import io.shardwire.router.merge.RowCursor;
import io.shardwire.router.plan.ExecutionPlan;
import io.shardwire.router.plan.NodeRoute;
import io.shardwire.router.plan.NodeStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a session's routed plans on its backends: one node's statement relayed as the backend
 * answers it, writes over several nodes with their affected rows added up, and reads merged from
 * their nodes (on a replica where {@link ReadRouting} allows, on the transaction's connections inside
 * one, else on a pooled connection per node, all streaming at once).
 *
 * <p>Not thread-safe: owned by one session.
 */
final class PlanExecutor {

    private static final Logger log = LoggerFactory.getLogger(PlanExecutor.class);

    private final int sessionId;
    private final SessionBackends backends;
    private final ReadRouting reads;
    private final TransactionState transaction;
    private final LastInsertId lastInsertId;
    private final RouterConfig limits;
    private final IntSupplier statusFlags;

    PlanExecutor(int sessionId, SessionBackends backends, ReadRouting reads, TransactionState transaction,
                 LastInsertId lastInsertId, RouterConfig limits, IntSupplier statusFlags) {
        this.sessionId = sessionId;
        this.backends = backends;
        this.reads = reads;
        this.transaction = transaction;
        this.lastInsertId = lastInsertId;
        this.limits = limits;
        this.statusFlags = statusFlags;
    }

    /** Runs one node's statement and relays the backend's answer as it is (DDL, SET, SHOW, a single-node query). */
    void relay(NodeStatement node, Responder responder) throws ClientGoneException {
        BackendConnection backend = backends.pinnedFor(node, responder);
        if (backend == null) {
            return;
        }
        // A CALL's result sets are always followed by more: at least the OK that ends the CALL.
        int afterRows = StatementKeyword.of(node.sql()) == StatementKeyword.CALL
                ? MySQLStatusFlag.SERVER_MORE_RESULTS_EXISTS.value() : 0;
        backends.runText(backend, node.sql(), node.parameters(), responder, statement -> {
            do {
                if (statement.isResultSet()) {
                    responder.rows(statement.resultSet(), () -> statusFlags.getAsInt() | afterRows);
                } else {
                    lastInsertId.fromBackend(statement.lastInsertId(), backend.group());
                    responder.ok(statement.updateCount(), statement.lastInsertId(), statusFlags.getAsInt());
                }
            } while (statement.nextResult());
        });
    }

    /**
     * An INSERT/UPDATE/DELETE on one or more data nodes, each on the session's connection to its
     * group, one after another; the affected rows add up. The LAST_INSERT_ID is the first key the
     * proxy generated, else the backend's. Outside a transaction, a row change (INSERT, REPLACE,
     * UPDATE, DELETE) over several nodes runs as an implicit transaction ({@link #atomically}), inside one behind a
     * savepoint per group ({@link #atomicallyInTransaction}); one node's statement is atomic by itself, and DDL
     * cannot run inside a transaction.
     */
    void write(ExecutionPlan plan, Responder responder) throws ClientGoneException {
        if (plan.isSingleNode() && plan.generatedKeys().isEmpty()) {
            relay(plan.statements().getFirst(), responder);
            return;
        }
        if (plan.statements().size() > 1 && changesRows(plan)) {
            if (transaction.active()) {
                atomicallyInTransaction(plan, responder);
            } else {
                atomically(plan, responder);
            }
            return;
        }
        long[] outcome = runNodes(plan, responder);
        if (outcome != null) {
            answerWrite(plan, outcome, statusFlags.getAsInt(), responder);
        }
    }

    private static boolean changesRows(ExecutionPlan plan) {
        return switch (StatementType.of(plan.sql())) {
            case INSERT, UPDATE, DELETE -> true;
            default -> false;
        };
    }

    /** The savepoint a write over several nodes inside a transaction rolls back to when one of its nodes fails. */
    private static final String STATEMENT_SAVEPOINT = "shardwire_statement";

    /**
     * A write over several nodes inside a transaction, all or nothing as one server's statement is: a savepoint on
     * each of its groups first; if a node fails, every group goes back to it before the client gets the node's error,
     * and the transaction goes on (a deadlock's ended it already).
     */
    private void atomicallyInTransaction(ExecutionPlan plan, Responder responder) throws ClientGoneException {
        List<BackendConnection> groups = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (NodeStatement node : plan.statements()) {
            if (seen.add(node.node().shardGroup())) {
                BackendConnection backend = backends.pinnedFor(node, responder);
                if (backend == null) {
                    return;
                }
                groups.add(backend);
            }
        }
        try {
            for (BackendConnection backend : groups) {
                backend.run("SAVEPOINT " + STATEMENT_SAVEPOINT);
            }
        } catch (SQLException e) {
            responder.error(e);
            return;
        }
        HeldError held = new HeldError(responder);
        long[] outcome = runNodes(plan, held);
        if (outcome != null) {
            answerWrite(plan, outcome, statusFlags.getAsInt(), responder);
            return;
        }
        if (transaction.active()) {
            for (BackendConnection backend : groups) {
                try {
                    backend.run("ROLLBACK TO SAVEPOINT " + STATEMENT_SAVEPOINT);
                } catch (SQLException e) {
                    log.warn("session {}: rolling back a failed write over several data nodes to its savepoint: {}",
                            sessionId, e.getMessage());
                }
            }
        }
        if (held.held()) {
            held.send();
        }
    }

    /**
     * An autocommit write over several nodes as a transaction of its own: its groups are enlisted as
     * an explicit transaction's are (the first plain, later ones XA branches), and it commits through
     * the same path, so it is all or nothing; a failed node rolls every group back before the client
     * gets the node's error.
     */
    private void atomically(ExecutionPlan plan, Responder responder) throws ClientGoneException {
        transaction.beginImplicit();
        HeldError held = new HeldError(responder);
        long[] outcome = null;
        try {
            transaction.enlist(plan.statements().stream().map(node -> node.node().shardGroup()).toList(),
                    TransactionState.Effect.WRITES);
            outcome = runNodes(plan, held);
        } catch (SQLException e) {
            held.error(e);
        } finally {
            if (outcome == null) {
                try {
                    transaction.rollback();
                } catch (SQLException e) {
                    log.warn("session {}: rolling back a failed write over several data nodes: {}", sessionId,
                            e.getMessage());
                }
            }
        }
        if (outcome == null) {
            if (held.held()) {
                held.send();
            }
            return;
        }
        try {
            transaction.commit();
        } catch (SQLException e) {
            responder.error(e);
            return;
        }
        answerWrite(plan, outcome, statusFlags.getAsInt(), responder);
    }

    /**
     * Runs the write's node statements in order; returns {affected rows, first backend insert id}, or
     * null after a node's error went to the responder.
     */
    private long[] runNodes(ExecutionPlan plan, Responder responder) throws ClientGoneException {
        // A broadcast table's copies change alike: the client's count is one copy's, as on one server.
        boolean copies = plan.root() instanceof NodeRoute route && route.variant() == NodeRoute.Variant.ALL_COPIES;
        long affected = 0;
        long insertId = 0;
        boolean first = true;
        for (NodeStatement node : plan.statements()) {
            BackendConnection backend = backends.pinnedFor(node, responder);
            if (backend == null) {
                return null;
            }
            long[] outcome = new long[2];
            boolean[] failed = {true};
            backends.runText(backend, node.sql(), node.parameters(), responder, statement -> {
                outcome[0] = statement.updateCount();
                outcome[1] = statement.lastInsertId();
                failed[0] = false;
            });
            if (failed[0]) {
                return null;
            }
            if (first || !copies) {
                affected += outcome[0];
            }
            first = false;
            if (insertId == 0) {
                insertId = outcome[1];
                lastInsertId.fromBackend(outcome[1], node.node().shardGroup());
            }
        }
        return new long[] {affected, insertId};
    }

    /** The write's OK: affected rows, and the first key the proxy generated, else the backend's insert id. */
    private void answerWrite(ExecutionPlan plan, long[] outcome, int status, Responder responder)
            throws ClientGoneException {
        long insertId = outcome[1];
        if (!plan.generatedKeys().isEmpty()) {
            insertId = plan.generatedKeys().getFirst();
            lastInsertId.generated(insertId);
        }
        responder.ok(outcome[0], insertId, status);
    }

    /**
     * A SELECT: one node runs on the session's own connection; several run at once on connections of
     * their own (each node's rows stream while they merge), or inside a transaction, whose uncommitted
     * rows only its own connections see, on those (at once when each node is on a group of its own).
     */
    void read(ExecutionPlan plan, Responder responder, boolean binary) throws ClientGoneException {
        if (plan.isSingleNode()) {
            NodeStatement node = plan.statements().getFirst();
            BackendConnection replica = replicaFor(node);
            if (replica != null && mergeFrom(plan, List.of(replica), responder, true, binary, true)) {
                return;
            }
            BackendConnection backend = backends.pinnedFor(node, responder);
            if (backend != null) {
                mergeFrom(plan, List.of(backend), responder, false, binary, false);
            }
            return;
        }
        if (transaction.active()) {
            // The transaction's uncommitted rows are visible only on its own connections.
            List<BackendConnection> connections = new ArrayList<>();
            for (NodeStatement node : plan.statements()) {
                BackendConnection backend = backends.pinnedFor(node, responder);
                if (backend == null) {
                    return;
                }
                connections.add(backend);
            }
            mergeFrom(plan, connections, responder, false, binary, false);
            return;
        }
        List<BackendConnection> connections = new ArrayList<>();
        try {
            for (NodeStatement node : plan.statements()) {
                BackendConnection replica = replicaFor(node);
                connections.add(replica != null ? replica : backends.scatterConnection(node.node().shardGroup()));
            }
        } catch (SQLException e) {
            connections.forEach(BackendConnection::close);
            responder.error(MySQLErrorCode.ER_UNKNOWN_ERROR.errorCode(), MySQLErrorCode.ER_UNKNOWN_ERROR.sqlState(),
                    "A shard group of " + plan.statements() + " is unavailable: " + e.getMessage());
            return;
        }
        mergeFrom(plan, connections, responder, true, binary, false);
    }

    /**
     * A prepared statement bound to one data node: runs there as a server-side prepared statement
     * and its binary rows pass through unchanged.
     */
    void executePrepared(PreparedStatementState state, NodeStatement node, Responder responder)
            throws ClientGoneException {
        BackendConnection backend = backends.pinnedFor(node, responder);
        if (backend == null) {
            state.clearLongData();
            return;
        }
        BackendPreparedStatement[] statement = new BackendPreparedStatement[1];
        backends.onBackend(backend, responder, () -> {
            statement[0] = state.backendStatement(backend, node.sql());
            backends.running(backend, statement[0].jdbc());
            statement[0].execute(node.parameters());
            if (statement[0].isResultSet()) {
                responder.binaryRows(statement[0].resultSet(), statusFlags::getAsInt);
            } else {
                lastInsertId.fromBackend(statement[0].lastInsertId(), backend.group());
                responder.ok(statement[0].updateCount(), statement[0].lastInsertId(), statusFlags.getAsInt());
            }
        }, () -> {
            if (statement[0] != null) {
                statement[0].closeResult();
            }
            state.clearLongData();
        });
    }

    /**
     * A prepared SELECT bound to one data node: on a replica where {@link ReadRouting} lets the same text go (see
     * {@link #read}), else as {@link #executePrepared} runs it on the session's primary connection. On the replica it
     * runs the same way, as a server-side prepared statement whose binary rows pass through unchanged, so the answer
     * is the one the primary gives (column types, parameter binding, values); the statement is prepared there for this
     * execute only, since the replica connection is borrowed for the read and reset when given back. A replica whose
     * connection is lost before the first row leaves the read to the primary.
     */
    void readPrepared(PreparedStatementState state, NodeStatement node, Responder responder)
            throws ClientGoneException {
        BackendConnection replica = replicaFor(node);
        if (replica != null && preparedOnReplica(node, replica, responder)) {
            state.clearLongData();
            return;
        }
        executePrepared(state, node, responder);
    }

    /**
     * Prepares and executes the node's statement on the replica connection and answers with its binary rows; the
     * connection is given back afterwards (aborted after a failure or a client that left).
     *
     * @return false if the connection was lost before the first row and the client got nothing
     */
    private boolean preparedOnReplica(NodeStatement node, BackendConnection replica, Responder responder)
            throws ClientGoneException {
        BackendPreparedStatement statement = null;
        boolean answering = false; // whether packets of the answer may have gone to the client
        boolean done = false;
        try {
            if (node.node().database() != null) {
                replica.useCatalog(node.node().database());
            }
            statement = BackendPreparedStatement.prepare(replica, node.sql());
            backends.running(replica, statement.jdbc());
            statement.execute(node.parameters());
            if (statement.isResultSet()) {
                ResultSet rows = statement.resultSet();
                // The column definitions go out only with the first row in hand: a connection lost before it still
                // leaves the read to the primary.
                boolean onFirstRow = rows.next();
                answering = true;
                responder.binaryRowsReadAhead(rows, onFirstRow, statusFlags::getAsInt);
            } else {
                answering = true;
                responder.ok(statement.updateCount(), 0, statusFlags.getAsInt());
            }
            done = true;
        } catch (SQLException e) {
            if (!answering && BackendStatement.isConnectionLost(e)) {
                log.warn("session {}: lost the replica connection to {} ({}); reading again from the primary",
                        sessionId, replica.address(), e.getMessage());
                return false;
            }
            responder.error(e);
        } finally {
            backends.notRunning();
            if (done) {
                statement.close();
                replica.close();
            } else {
                // Lost, failed, or the client left mid-result: closing would read the rest of a streaming result.
                replica.abort();
            }
        }
        return true;
    }

    /** A replica connection for an autocommit read of the node (see {@link ReadRouting}), or null for the primary. */
    private BackendConnection replicaFor(NodeStatement node) {
        if (transaction.active()) {
            return null;
        }
        String group = node.node().shardGroup();
        BackendConnection replica = reads.replicaFor(group, node.sql(), backends.pinned(group));
        if (replica == null) {
            return null;
        }
        try {
            return backends.withSessionState(replica);
        } catch (SQLException e) {
            log.debug("session {}: replaying the session's SETs on {} failed; reading from the primary", sessionId,
                    replica.address(), e);
            replica.abort();
            return null;
        }
    }

    /**
     * Runs the plan's statements on the given connections (same order), merges their rows and
     * streams them. Scatter connections are returned (or aborted, if the client left) afterwards.
     *
     * @param retryable whether a connection lost before any answer is left for the caller to retry
     *     elsewhere (a replica read) instead of answered with an error
     * @return false if the connection was lost and the client got nothing (only when {@code retryable})
     */
    private boolean mergeFrom(ExecutionPlan plan, List<BackendConnection> connections, Responder responder,
                              boolean scatter, boolean binary, boolean retryable) throws ClientGoneException {
        List<BackendStatement> statements = new ArrayList<>();
        boolean clientGone = false; // or, for scatter connections, rows left unread
        boolean answering = false; // whether packets of the answer may have gone to the client
        try {
            List<RowCursor> inputs = new ArrayList<>();
            Field[] fields = null;
            if (connections.size() > 1 && Set.copyOf(connections).size() == connections.size()) {
                // A connection per node (scatter connections, or a transaction's over as many groups): every node
                // works at once, so the read waits for the slowest node, not the sum.
                executeConcurrently(plan.statements(), connections, statements);
            }
            for (int i = 0; i < connections.size(); i++) {
                NodeStatement node = plan.statements().get(i);
                BackendConnection connection = connections.get(i);
                BackendStatement statement;
                if (i < statements.size()) {
                    statement = statements.get(i);
                } else {
                    statement = open(node, connection);
                    statements.add(statement);
                    backends.running(connection, statement.jdbc());
                    statement.execute();
                }
                ResultSet rows = statement.resultSet();
                if (fields == null) {
                    fields = BackendStatement.fieldsOf(rows);
                }
                // A connection streams one result at a time: nodes that share a transaction's
                // connection with a later node are read into memory first (under the merge cap).
                boolean shared = connections.subList(i + 1, connections.size()).contains(connection);
                if (shared) {
                    inputs.add(BufferedNodeRows.readAll(rows, limits.maxMemoryMergeRows(), limits.maxMemoryMergeBytes()));
                    statement.closeQuietly();
                } else {
                    NodeRows nodeRows = new NodeRows(rows, fields.length);
                    if (retryable) {
                        // The column definitions go out only with the first row in hand: a connection lost before it
                        // still leaves the read to run elsewhere.
                        nodeRows.readAhead();
                    }
                    inputs.add(nodeRows);
                }
            }
            MergedResult merged = ResultMerger.merge(plan, NodeRows.columns(fields), inputs);
            answering = true;
            responder.mergedRows(fields, merged, statusFlags.getAsInt(), binary);
        } catch (ClientGoneException e) {
            clientGone = true;
            throw e;
        } catch (SQLException | NodeRows.BackendReadException e) {
            // Rows other nodes still send are not wanted: closing would read them to their end.
            clientGone = scatter;
            SQLException cause = backends.deadlockOr(
                    e instanceof NodeRows.BackendReadException read ? read.getCause() : (SQLException) e);
            if (retryable && !answering && BackendStatement.isConnectionLost(cause)) {
                // Nothing reached the client yet (the first row had not come), so the read can run elsewhere.
                log.warn("session {}: lost the replica connection to {} ({}); reading again from the primary",
                        sessionId, connections.getFirst().address(), cause.getMessage());
                return false;
            }
            if (!scatter) {
                // A deadlock rolls the transaction back on these same connections: other nodes' streams end first.
                statements.forEach(BackendStatement::closeQuietly);
            }
            transaction.statementFailed(cause.getErrorCode());
            responder.error(cause);
        } catch (MergeException e) {
            clientGone = scatter;
            SessionError.of(MySQLErrorCode.ER_UNKNOWN_ERROR, e.getMessage()).sendTo(responder);
        } finally {
            backends.notRunning();
            finishNodes(statements, connections, scatter, clientGone);
        }
        return true;
    }

    /** A node's statement on the connection, in the node's database. */
    private static BackendStatement open(NodeStatement node, BackendConnection connection) throws SQLException {
        if (node.node().database() != null) {
            connection.useCatalog(node.node().database());
        }
        return BackendStatement.openRead(connection, node.sql(), node.parameters());
    }

    /**
     * Opens and executes each node's statement on its own connection, all at once (the first on this thread, the
     * others on virtual threads), and adds them to {@code statements} in node order; all are cancellable by KILL
     * while they run. The first failure is thrown once every execution has ended.
     */
    private void executeConcurrently(List<NodeStatement> nodes, List<BackendConnection> connections,
                                     List<BackendStatement> statements) throws SQLException {
        int count = connections.size();
        BackendStatement[] opened = new BackendStatement[count];
        for (int i = 0; i < count; i++) {
            opened[i] = open(nodes.get(i), connections.get(i));
            statements.add(opened[i]);
        }
        backends.running(connections, Arrays.stream(opened).map(BackendStatement::jdbc).toList());
        Exception[] failures = new Exception[count];
        List<Thread> others = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int index = i;
            others.add(Thread.ofVirtual().name("shardwire-node-" + sessionId)
                    .start(() -> failures[index] = executeQuietly(opened[index])));
        }
        failures[0] = executeQuietly(opened[0]);
        try {
            for (Thread other : others) {
                other.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while the data nodes of " + nodes + " executed", "HY000", e);
        }
        for (Exception failure : failures) {
            if (failure instanceof SQLException sql) {
                throw sql;
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
        }
    }

    /** Executes the statement; its failure, or null. */
    private static Exception executeQuietly(BackendStatement statement) {
        try {
            statement.execute();
            return null;
        } catch (SQLException | RuntimeException e) {
            return e;
        }
    }

    /** Ends the node statements: abort the connections whose rows nobody will read, else close them. */
    private void finishNodes(List<BackendStatement> statements, List<BackendConnection> connections, boolean scatter,
                             boolean abandon) {
        if (abandon) {
            for (BackendConnection connection : connections) {
                if (scatter) {
                    connection.abort();
                } else {
                    backends.dropBroken(connection, true);
                }
            }
        }
        statements.forEach(BackendStatement::closeQuietly);
        if (scatter && !abandon) {
            connections.forEach(BackendConnection::close);
        }
    }
}
