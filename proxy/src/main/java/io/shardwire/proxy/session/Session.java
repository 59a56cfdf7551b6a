package io.shardwire.proxy.session;

import com.mysql.cj.result.Field;
import io.shardwire.config.SchemaConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.config.UserConfig;
import io.shardwire.proxy.backend.BackendConnection;
import io.shardwire.proxy.backend.BackendPools;
import io.shardwire.proxy.backend.BackendPreparedStatement;
import io.shardwire.proxy.backend.BackendStatement;
import io.shardwire.proxy.metrics.StatementType;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.proxy.protocol.constant.MySQLStatusFlag;
import io.shardwire.proxy.xa.CrossGroupCommits;
import io.shardwire.router.parse.SqlStatementParser;
import io.shardwire.router.parse.TableReferenceFinder;
import io.shardwire.router.plan.ExecutionPlan;
import io.shardwire.router.plan.LocalAnswer;
import io.shardwire.router.plan.NodeStatement;
import io.shardwire.router.plan.PreparedPlan;
import io.shardwire.router.plan.Projection;
import io.shardwire.router.plan.QueryPlanner;
import io.shardwire.router.route.RouteException;
import io.shardwire.router.route.StatementRefusedException;
import io.shardwire.router.rule.DataNode;
import java.nio.charset.Charset;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One client connection's state after authentication: who it is, its logical schema, its prepared
 * statements and transaction, and the commands it runs: the statements it answers itself
 * ({@link LocalStatements}) or plans and hands to its {@link PlanExecutor}, over the backend
 * connections it has pinned ({@link SessionBackends}).
 *
 * <p>Not thread-safe: the frontend runs a session's commands, and finally {@link #close}, one
 * after another.
 */
public final class Session implements AutoCloseable {

    /** The statement id MariaDB clients use for "the statement just prepared". */
    private static final long LAST_PREPARED = 0xFFFF_FFFFL;

    /** CREATE DATABASE/SCHEMA [IF NOT EXISTS] name and DROP DATABASE/SCHEMA [IF EXISTS] name: they run outside any database. */
    private static final Pattern DATABASE_DDL = Pattern.compile(
            "(?is)\\s*(?:CREATE|DROP)\\s+(?:DATABASE|SCHEMA)\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?`?([^`\\s;]+)`?.*");
    /** DDL of a temporary table, which commits no transaction. */
    private static final Pattern TEMPORARY_DDL = Pattern.compile("(?is)\\s*(?:CREATE|DROP)\\s+TEMPORARY\\b");

    private final int id;
    private final UserConfig user;
    private final LastRowCount rowCount = new LastRowCount();
    private final String clientHost;
    private final ShardwireConfig config;
    private final QueryPlanner planner;
    /** Physical database -> logical schema, for access checks of the data nodes a plan touches. */
    private final Map<String, String> logicalSchemaOf;
    private final Map<Long, PreparedStatementState> prepared = new HashMap<>();
    private final int maxPreparedStatements;
    private final long maxLongDataBytes;
    private long nextStatementId = 1;
    private String schema;
    private final SqlStatementParser statementParser = new SqlStatementParser();
    private final TableReferenceFinder tableFinder = new TableReferenceFinder();
    private final SessionFunctions sessionFunctions;
    /** Where autocommit reads run: replicas or the primary. */
    private final ReadRouting reads;
    private final SessionBackends backends;
    /** The open transaction: which groups it reached, on which of the pinned connections. */
    private final TransactionState transaction;
    private final LastInsertId lastInsertId = new LastInsertId();
    private final PlanExecutor executor;
    private final LocalStatements local;
    /** The results charset of the client's handshake. */
    private final ResultsCharset handshakeResults;

    public Session(int id, UserConfig user, String clientHost, String schema, boolean foundRows,
                   ResultsCharset handshakeResults, ShardwireConfig config, QueryPlanner planner, BackendPools pools, Limits limits,
                   SessionRegistry sessions, CrossGroupCommits commits) {
        this.maxPreparedStatements = limits.maxPreparedStatements();
        this.handshakeResults = handshakeResults;
        this.maxLongDataBytes = limits.maxPacketBytes();
        this.id = id;
        this.user = user;
        this.clientHost = clientHost;
        this.schema = schema;
        this.config = config;
        this.planner = planner;
        this.logicalSchemaOf = logicalSchemas(config);
        this.sessionFunctions = new SessionFunctions(id, user.name(), clientHost, limits.maxPacketBytes(), this::statusFlags,
                rowCount, this::resultsCharset);
        this.reads = new ReadRouting(pools, foundRows, user.consistency());
        this.backends = new SessionBackends(id, pools, foundRows, reads,
                lost -> prepared.values().forEach(state -> state.forget(lost)), this::statementFailed);
        this.transaction = new TransactionState(commits, new TransactionState.Connections() {
            @Override
            public BackendConnection connection(String group) throws SQLException {
                return backends.pinnedConnection(group);
            }

            @Override
            public boolean holds(BackendConnection connection) {
                return backends.holds(connection);
            }

            @Override
            public void forget(BackendConnection connection) {
                backends.forget(connection);
            }
        });
        this.executor = new PlanExecutor(id, backends, reads, transaction, lastInsertId, config.router(),
                this::statusFlags);
        this.local = new LocalStatements(this, config, user, sessions, backends, executor, transaction, reads,
                lastInsertId, new LogicalMetadata(planner.rules()), new InformationSchemaQueries(planner.rules()));
    }

    private static Map<String, String> logicalSchemas(ShardwireConfig config) {
        Map<String, String> logical = new HashMap<>();
        for (SchemaConfig schema : config.schemas()) {
            logical.put(schema.name(), schema.name());
            schema.dataNodes().forEach(node -> logical.put(node.name(), schema.name()));
        }
        return logical;
    }

    /** A backend statement failed: a deadlock ends the whole transaction ({@link TransactionState#statementFailed}). */
    private void statementFailed(int errorCode) {
        transaction.statementFailed(errorCode);
    }

    /** Where the frontend records each answer's affected rows, for {@code ROW_COUNT()}. */
    public LastRowCount rowCount() {
        return rowCount;
    }

    /** The client's address, as its user@host names it. */
    String clientHost() {
        return clientHost;
    }

    /** The connection id the client was given in the handshake. */
    public int id() {
        return id;
    }

    /** The largest packet the client may send, in bytes: the proxy's {@code max_allowed_packet}. */
    long maxAllowedPacket() {
        return maxLongDataBytes;
    }

    /** The logical schema in use, or null. */
    public String schema() {
        return schema;
    }

    /**
     * Checks that a schema may be selected by this user, as at connect time or by COM_INIT_DB.
     *
     * @return the MySQL error to send, or null when the schema may be used
     */
    public SessionError checkSchema(String name) {
        if (config.schema(name).isEmpty()) {
            return SessionError.of(MySQLErrorCode.ER_BAD_DB_ERROR, name);
        }
        if (!user.maySee(name)) {
            return SessionError.of(MySQLErrorCode.ER_DBACCESS_DENIED_ERROR, user.name(), clientHost, name);
        }
        return null;
    }

    /** COM_INIT_DB and {@code USE}: switch the logical schema. */
    public void useSchema(String name, Responder responder) throws ClientGoneException {
        SessionError error = checkSchema(name);
        if (error != null) {
            error.sendTo(responder);
            return;
        }
        schema = name;
        responder.ok(0, 0, statusFlags());
    }

    /** COM_QUERY: answer the statement itself, or plan it, run it on its data nodes, merge and stream the outcome. */
    public void query(String text, Responder responder) throws ClientGoneException {
        String code = SqlComments.openExecutable(text);
        StatementKeyword keyword = StatementKeyword.of(code);
        if (refusedByPrivileges(code, keyword, responder)) {
            return;
        }
        String sql = keyword == StatementKeyword.SELECT || keyword == StatementKeyword.WITH
                ? sessionFunctions.rewrite(code, schema).orElse(code) : code;
        if (local.answered(sql, keyword, responder)) {
            return;
        }
        ExecutionPlan plan = planOrRefuse(() -> planner.planText(sql, schema), responder);
        if (plan != null) {
            responder.routed(plan.statements().size());
        }
        if (plan == null || !mayAccess(plan, responder)) {
            return;
        }
        if (transaction.active() && plan.kind() != ExecutionPlan.Kind.LOCAL && namesNoTable(sql)) {
            // Session variables and functions (drivers ask @@transaction_read_only before each write):
            // answered where the transaction runs, and never the statement that chooses its group.
            NodeStatement node = plan.statements().getFirst();
            String group = transaction.firstGroup();
            executor.relay(group == null ? node : new NodeStatement(new DataNode(null, group), node.sql(), node.parameters()),
                    responder);
            return;
        }
        if (commitsImplicitly(sql)) {
            // As in MariaDB, DDL first commits the open transaction, and never runs inside one (in an XA branch it
            // would fail with 1399 on that group after running on the others).
            if (!commitBeforeDdl(responder)) {
                return;
            }
        } else if (!enlist(plan, responder)) {
            return;
        }
        switch (plan.kind()) {
            case LOCAL -> local.answerPlanned((LocalAnswer) plan.root(), responder);
            case PASS_THROUGH -> executor.relay(plan.statements().getFirst(), responder);
            case WRITE -> executor.write(plan, responder);
            case QUERY -> read(plan, responder);
        }
    }

    /** Answers the error if the session's user may not run {@code sql} ({@link ServerPrivileges}). */
    private boolean refusedByPrivileges(String sql, StatementKeyword keyword, Responder responder)
            throws ClientGoneException {
        Optional<SessionError> refused = ServerPrivileges.refusal(sql, keyword, user, clientHost,
                database -> user.maySee(logicalSchemaOf.getOrDefault(database, database)));
        if (refused.isPresent()) {
            refused.get().sendTo(responder);
        }
        return refused.isPresent();
    }

    /**
     * The native read of a COM_QUERY that the frontend may run from its event loop, without the session's worker: a
     * SELECT that the session neither answers itself nor rewrites (session functions), whose shape has a plan kept
     * from an earlier statement ({@link QueryPlanner#keptPlan}; one never planned is left to the worker, which plans
     * it), under {@link #nativeRead}'s conditions. Plans nothing and touches no backend; the caller runs it only while
     * no other command of the session runs, and ends a chosen replica's read.
     */
    public Optional<NativeRead> nativeQuery(String text) {
        // A comment may be code ({@code /*!...*}{@code /}): such a text is the worker's, which reads it as the server would.
        if (text.contains("/*") || StatementKeyword.of(text) != StatementKeyword.SELECT || !readsMayGoNatively()
                || sessionFunctions.rewrite(text, schema).isPresent() || local.answersSelect(text)) {
            return Optional.empty();
        }
        Optional<ExecutionPlan> plan = planner.keptPlan(text, schema);
        return plan.isEmpty() ? Optional.empty() : nativeRead(plan.get(), ReadRouting::textNeedsPrimary);
    }

    /**
     * A text-protocol read: relayed natively by the frontend when {@link #nativeRead} would let a prepared one go (and
     * the frontend can), else merged from the JDBC path. A replica is chosen for the native path only if there is one:
     * the JDBC path's own choice would otherwise follow one made for nothing, and a round robin over two replicas
     * would send every read to the same one.
     */
    private void read(ExecutionPlan plan, Responder responder) throws ClientGoneException {
        NativeRead read = responder.relaysNatively() && readsMayGoNatively()
                ? nativeRead(plan, ReadRouting::textNeedsPrimary).orElse(null) : null;
        if (read == null || !responder.relayNatively(read)) {
            executor.read(plan, responder, false);
        }
    }

    /** Planning that the router may refuse. */
    @FunctionalInterface
    private interface Planning {
        ExecutionPlan plan() throws RouteException, StatementRefusedException;
    }

    /** The plan, or null after answering the client with the router's refusal as a MySQL error. */
    private ExecutionPlan planOrRefuse(Planning planning, Responder responder) throws ClientGoneException {
        try {
            return planning.plan();
        } catch (RouteException e) {
            routeError(e).sendTo(responder);
        } catch (StatementRefusedException e) {
            responder.error(e.errorCode(), e.sqlState(), e.getMessage());
        }
        return null;
    }

    /** Whether the statement names no table (JSqlParser can parse it and finds none). */
    private boolean namesNoTable(String sql) {
        return statementParser.parse(sql).map(statement -> tableFinder.find(statement).isEmpty()).orElse(false);
    }

    /**
     * Puts the groups of the plan's statements into the session's transaction, if one is open
     * (see {@link TransactionState#enlist}).
     *
     * @return false if the client got an error
     */
    private boolean enlist(ExecutionPlan plan, Responder responder) throws ClientGoneException {
        if (plan.statements().isEmpty()) {
            return true;
        }
        if (!transaction.active()) {
            transaction.autocommitStatementRan();
            return true;
        }
        SortedSet<String> groups = new TreeSet<>();
        plan.statements().forEach(node -> groups.add(node.node().shardGroup()));
        try {
            transaction.enlist(groups, plan.kind() != ExecutionPlan.Kind.QUERY ? TransactionState.Effect.WRITES
                    : plan.writesNothing() ? TransactionState.Effect.ONLY_READS : TransactionState.Effect.READS);
            return true;
        } catch (SQLException e) {
            responder.error(e);
            return false;
        }
    }

    /** Whether {@code sql} is DDL that commits the open transaction: any but on a temporary table. */
    private static boolean commitsImplicitly(String sql) {
        return StatementType.of(sql) == StatementType.DDL && !TEMPORARY_DDL.matcher(sql).lookingAt();
    }

    /** Commits the session's transaction, if one is open, before DDL; false after answering the commit's error. */
    private boolean commitBeforeDdl(Responder responder) throws ClientGoneException {
        if (!transaction.active()) {
            return true;
        }
        try {
            transaction.commit();
            return true;
        } catch (SQLException e) {
            responder.error(e);
            return false;
        }
    }

    /** COM_FIELD_LIST: the table's columns, from the backend's description of an empty select of it. */
    public void fieldList(String table, Responder responder) throws ClientGoneException {
        ExecutionPlan plan = planOrRefuse(
                () -> planner.plan("SELECT * FROM `" + table.replace("`", "``") + "` LIMIT 0", schema).bind(), responder);
        if (plan == null) {
            return;
        }
        if (plan.statements().isEmpty()) {
            SessionError.of(MySQLErrorCode.ER_UNKNOWN_ERROR, "COM_FIELD_LIST of " + table).sendTo(responder);
            return;
        }
        if (!mayAccess(plan, responder)) {
            return;
        }
        NodeStatement node = plan.statements().getFirst();
        BackendConnection backend = backends.pinnedToDescribe(node, responder);
        if (backend == null) {
            return;
        }
        backends.runText(backend, node.sql(), node.parameters(), responder, statement ->
                responder.fieldList(BackendStatement.fieldsOf(statement.resultSet()), statusFlags()));
    }

    /** The charset the client's statements are in since its last SET NAMES, or empty for the handshake's. */
    public Optional<Charset> clientCharset() {
        return local.clientCharset();
    }

    /** The charset text columns are converted to for the client ({@code character_set_results}); empty: unconverted. */
    public Optional<ResultsCharset> resultsCharset() {
        return local.resultsCharset(handshakeResults);
    }

    /**
     * COM_RESET_CONNECTION: the session starts afresh (prepared statements deallocated, backend
     * connections reset and returned) but keeps its user and schema.
     */
    public void resetConnection(Responder responder) throws ClientGoneException {
        close();
        responder.ok(0, 0, statusFlags());
    }

    /**
     * COM_STMT_PREPARE: plan the statement once (the session's functions answered, as {@link #query} answers them;
     * one naming {@code DATABASE()} is planned again at each execute); describe it by preparing it on the backend of
     * the data node its placeholders, left unbound, route to (the columns are the same on every node).
     */
    public void prepare(String sql, Responder responder) throws ClientGoneException {
        if (prepared.size() >= maxPreparedStatements) {
            SessionError.of(MySQLErrorCode.ER_MAX_PREPARED_STMT_COUNT_REACHED, maxPreparedStatements).sendTo(responder);
            return;
        }
        sql = SqlComments.openExecutable(sql);
        if (refusedByPrivileges(sql, StatementKeyword.of(sql), responder)) {
            return;
        }
        if (local.refusedWhenPrepared(sql)) {
            // As MySQL refuses what it cannot prepare: clients fall back to text.
            SessionError.of(MySQLErrorCode.ER_UNSUPPORTED_PS).sendTo(responder);
            return;
        }
        StatementKeyword keyword = StatementKeyword.of(sql);
        boolean select = keyword == StatementKeyword.SELECT || keyword == StatementKeyword.WITH;
        String text = select ? sessionFunctions.rewrite(sql, schema).orElse(sql) : sql;
        PreparedPlan[] planned = new PreparedPlan[1];
        ExecutionPlan probe = planOrRefuse(() -> {
            planned[0] = planner.plan(text, schema);
            return planned[0].bind(Collections.nCopies(planned[0].parameterCount(), null));
        }, responder);
        if (probe == null) {
            return;
        }
        PreparedPlan plan = planned[0];
        if (probe.kind() == ExecutionPlan.Kind.LOCAL || probe.statements().isEmpty()) {
            SessionError.of(MySQLErrorCode.ER_UNSUPPORTED_PS).sendTo(responder);
            return;
        }
        if (!mayAccess(probe, responder)) {
            return;
        }
        NodeStatement node = probe.statements().getFirst();
        BackendConnection backend = backends.pinnedToDescribe(node, responder);
        if (backend == null) {
            return;
        }
        PreparedStatementState state = new PreparedStatementState(nextStatementId, sql, plan,
                select && sessionFunctions.followsSession(sql));
        backends.onBackend(backend, responder, () -> {
            BackendPreparedStatement statement = state.backendStatement(backend, node.sql());
            prepared.put(state.id(), state);
            nextStatementId++;
            // The columns the execute returns: a merge drops the node statements' derived ones (AVG's SUM and COUNT,
            // sort keys), which clients that bind the prepare's columns would otherwise count.
            Field[] columns = statement.columns();
            int derived = probe.root() instanceof Projection projection ? projection.derivedColumns() : 0;
            responder.prepared(state.id(), plan.parameterCount(), Arrays.copyOf(columns, columns.length - derived));
        }, () -> { });
    }

    /**
     * The prepared statement with this id, for decoding its parameters. The id 0xFFFFFFFF means the
     * statement prepared last: MariaDB clients send it to execute a statement in the same round trip
     * as its prepare.
     */
    public Optional<PreparedStatementState> preparedStatement(long statementId) {
        long id = statementId == LAST_PREPARED ? nextStatementId - 1 : statementId;
        return Optional.ofNullable(prepared.get(id));
    }

    /**
     * COM_STMT_EXECUTE: bind the values to the plan; a statement on one data node runs there as a
     * server-side prepared statement and its binary rows pass through unchanged (a read on a replica
     * where {@link ReadRouting} lets the same text go).
     */
    public void executePrepared(long statementId, List<Object> parameters, Responder responder)
            throws ClientGoneException {
        PreparedStatementState state = preparedStatement(statementId).orElse(null);
        if (state == null) {
            SessionError.of(MySQLErrorCode.ER_UNKNOWN_STMT_HANDLER, statementId, "mysqld_stmt_execute").sendTo(responder);
            return;
        }
        if (state.longDataOverflow()) {
            state.clearLongData();
            SessionError.of(MySQLErrorCode.ER_NET_PACKET_TOO_LARGE).sendTo(responder);
            return;
        }
        ExecutionPlan plan = planOrRefuse(() -> boundPlan(state, parameters), responder);
        if (plan == null) {
            state.clearLongData();
            return;
        }
        responder.routed(plan.statements().size());
        if (!mayAccess(plan, responder) || !enlist(plan, responder)) {
            state.clearLongData();
            return;
        }
        if (state.showVariables() != null) {
            // Answered as the text statement is, with the proxy's max_allowed_packet.
            state.clearLongData();
            local.variables(state.showVariables(), state.sql(), parameters, responder, true);
            return;
        }
        if (!plan.isSingleNode() || !plan.generatedKeys().isEmpty()) {
            // Spread over data nodes (or with keys the proxy generated): run the nodes' statements
            // with the text protocol, merge, and send the merged rows in binary form.
            state.clearLongData();
            switch (plan.kind()) {
                case WRITE -> executor.write(plan, responder);
                case QUERY -> executor.read(plan, responder, true);
                default -> SessionError.of(MySQLErrorCode.ER_UNSUPPORTED_PS).sendTo(responder);
            }
            return;
        }
        if (plan.kind() == ExecutionPlan.Kind.QUERY) {
            executor.readPrepared(state, plan.statements().getFirst(), responder);
        } else {
            executor.executePrepared(state, plan.statements().getFirst(), responder);
        }
    }

    /**
     * The prepared statement's plan bound to this execute's values. One naming {@code DATABASE()} or {@code SCHEMA()}
     * is planned again from its text with the schema selected now, as MySQL evaluates them at each execute.
     */
    private ExecutionPlan boundPlan(PreparedStatementState state, List<Object> parameters)
            throws RouteException, StatementRefusedException {
        PreparedPlan plan = !state.followsSession() ? state.plan()
                : planner.plan(sessionFunctions.rewrite(state.sql(), schema).orElseThrow(), schema);
        return plan.bind(parameters);
    }

    /**
     * The one data node statement of a prepared execute that the frontend may run over a native backend connection
     * instead of the session's JDBC connections, and where: on a replica of the group where the session's reads may go
     * to one ({@link ReadRouting}) without waiting there for its own writes, else on the group's primary. Empty when
     * only the JDBC path gives the statement's behaviour: it must be a plain read (no locking clause, nothing of the
     * pinned connection's history: user variables, LAST_INSERT_ID(), temporary tables, ...) on one data node, in
     * autocommit with no transaction open, no long data, no {@code DATABASE()} (planned at each execute), no access
     * refusal to answer, and no wait for the session's writes on the chosen replica ({@code session} consistency after
     * a write there, until a wait on that replica saw it applied: the JDBC path waits). The session's SETs (SET NAMES
     * included, none of a user variable) go with it, for a connection that replayed the same ones
     * ({@link NativeRead#sessionSets}). Touches no backend. The caller runs it only while no other command of the
     * session runs, and ends a chosen replica's read ({@link NativeRead#replica}).
     */
    public Optional<NativeRead> nativeRead(PreparedStatementState state, List<Object> parameters) {
        if (state.followsSession() || !state.longDataEmpty() || !readsMayGoNatively()) {
            return Optional.empty();
        }
        ExecutionPlan plan;
        try {
            plan = state.plan().bind(parameters);
        } catch (StatementRefusedException e) {
            return Optional.empty();
        }
        return nativeRead(plan, state::textNeedsPrimary);
    }

    /**
     * Whether the session's state lets a read bypass its JDBC connections: autocommit, no transaction open, and no
     * session SET of a user variable (its SETs would make connections of their own for this session alone).
     */
    private boolean readsMayGoNatively() {
        return !transaction.active() && !transaction.hasNextCharacteristics() && !backends.setsUserVariables()
                && (statusFlags() & MySQLStatusFlag.SERVER_STATUS_IN_TRANS.value()) == 0;
    }

    /** The plan's native read, if it is a plain read of one data node that needs nothing of the pinned connection. */
    private Optional<NativeRead> nativeRead(ExecutionPlan plan, Predicate<String> textNeedsPrimary) {
        if (plan.kind() != ExecutionPlan.Kind.QUERY || !plan.isSingleNode() || !plan.generatedKeys().isEmpty()
                || accessDenied(plan) != null) {
            return Optional.empty();
        }
        NodeStatement node = plan.statements().getFirst();
        String group = node.node().shardGroup();
        if (node.node().database() == null || textNeedsPrimary.test(node.sql())
                || reads.usesTemporaryTable(node.sql())) {
            return Optional.empty();
        }
        if (reads.mayUseReplicas(group)) {
            Optional<BackendPools.ChosenReplica> replica = reads.chooseReplica(group);
            if (replica.isPresent()) {
                return reads.waitsForWrites(group, replica.get()) ? Optional.empty()
                        : Optional.of(new NativeRead(node, replica.get(), backends.sessionSets()));
            }
            // None in rotation: the primary answers, as on the JDBC path.
        }
        reads.usedPrimary(group);
        return Optional.of(new NativeRead(node, null, backends.sessionSets()));
    }

    /**
     * A read {@link #nativeRead} lets the frontend run natively.
     *
     * @param statement the data node statement
     * @param replica   the replica to run it on, or null for the group's primary; its {@code done} must run once the
     *                  read ends, however it ends
     * @param sessionSets the session's SETs, in order, that the connection it runs on must have replayed
     */
    public record NativeRead(NodeStatement statement, BackendPools.ChosenReplica replica, List<String> sessionSets) {
    }

    /**
     * Tells the session how to stop the statement it runs natively now (KILL QUERY, a client that left), or that it
     * ended (null).
     */
    public void runningNatively(Runnable cancel) {
        backends.runningElsewhere(cancel);
    }

    /** COM_STMT_SEND_LONG_DATA: keep a piece of a parameter's value for the next execute (no response). */
    public void appendLongData(long statementId, int parameter, byte[] data) {
        PreparedStatementState state = preparedStatement(statementId).orElse(null);
        if (state != null) {
            state.appendLongData(parameter, data, maxLongDataBytes);
        }
    }

    /** COM_STMT_RESET: forget long data sent since the last execute. */
    public void resetPrepared(long statementId, Responder responder) throws ClientGoneException {
        PreparedStatementState state = preparedStatement(statementId).orElse(null);
        if (state == null) {
            SessionError.of(MySQLErrorCode.ER_UNKNOWN_STMT_HANDLER, statementId, "mysqld_stmt_reset").sendTo(responder);
            return;
        }
        state.clearLongData();
        responder.ok(0, 0, statusFlags());
    }

    /** COM_STMT_CLOSE: deallocate (no response). */
    public void closePrepared(long statementId) {
        PreparedStatementState state = prepared.remove(statementId);
        if (state != null) {
            state.close();
        }
    }

    /**
     * Whether the user may use every logical schema the plan's data nodes belong to; if not, the
     * client has been answered with 1044.
     */
    private boolean mayAccess(ExecutionPlan plan, Responder responder) throws ClientGoneException {
        SessionError denied = accessDenied(plan);
        if (denied != null) {
            denied.sendTo(responder);
            return false;
        }
        return true;
    }

    /** The 1044 error for the first logical schema of the plan's data nodes the user may not use, or null. */
    private SessionError accessDenied(ExecutionPlan plan) {
        for (NodeStatement node : plan.statements()) {
            String database = node.node().database() != null ? node.node().database() : namedDatabase(node.sql());
            String logical = database == null ? null : logicalSchemaOf.get(database);
            if (logical != null && !user.maySee(logical)) {
                return SessionError.of(MySQLErrorCode.ER_DBACCESS_DENIED_ERROR, user.name(), clientHost, logical);
            }
        }
        return null;
    }

    /** The database a CREATE or DROP DATABASE statement creates or drops, or null for any other statement. */
    private static String namedDatabase(String sql) {
        Matcher matcher = DATABASE_DDL.matcher(sql);
        return matcher.matches() ? matcher.group(1) : null;
    }

    /**
     * Stops the statement this session is running on a backend, if any (the backend gets KILL QUERY
     * for it on a separate connection, and the client its 1317 error). Safe from any thread.
     */
    public void cancelRunning() {
        backends.cancelRunning();
    }

    /**
     * While the session runs a statement on a backend, the server thread id of each backend connection it holds, by
     * shard group; empty otherwise. Safe from any thread.
     */
    public Map<String, Long> backendThreads() {
        return backends.backendThreads();
    }

    /**
     * The global deadlock detector chose this session's transaction to end (null: no longer): the statement it then
     * interrupts fails with a deadlock error (1213, {@code message}) and the transaction is rolled back on every group,
     * as after a deadlock on one server. Safe from any thread.
     */
    public void chosenAsDeadlockVictim(String message) {
        backends.chosenAsDeadlockVictim(message);
    }

    /** KILL [QUERY | CONNECTION] id, and COM_PROCESS_KILL: stop another session's statement or connection. */
    public void kill(KillStatement kill, Responder responder) throws ClientGoneException {
        local.kill(kill, responder);
    }

    /**
     * Autocommit unless the session turned it off; in a transaction after BEGIN, or with autocommit off once a
     * statement reached a group, as MariaDB says after a statement on a transactional table (or if a backend says so).
     */
    public int statusFlags() {
        int autocommit = MySQLStatusFlag.SERVER_STATUS_AUTOCOMMIT.value();
        int inTransaction = MySQLStatusFlag.SERVER_STATUS_IN_TRANS.value();
        boolean open = transaction.explicit() || (transaction.autocommitOff() && transaction.firstGroup() != null);
        return backends.withBackendStatus((transaction.autocommitOff() ? 0 : autocommit) | (open ? inTransaction : 0));
    }

    private SessionError routeError(RouteException e) {
        return switch (e.kind()) {
            case UNKNOWN_SCHEMA -> SessionError.of(MySQLErrorCode.ER_BAD_DB_ERROR, e.subject());
            case NO_SCHEMA_SELECTED -> SessionError.of(MySQLErrorCode.ER_NO_DB_ERROR);
            case CROSS_SHARD_GROUP -> SessionError.of(MySQLErrorCode.ER_UNKNOWN_ERROR, e.getMessage());
        };
    }

    /**
     * Deallocates prepared statements, then resets and returns every pinned backend connection.
     * Runs after the session's last command.
     */
    @Override
    public void close() {
        lastInsertId.reset();
        local.forgetCharsets();
        reads.reset(user.consistency());
        transaction.abandon();
        prepared.values().forEach(PreparedStatementState::close);
        prepared.clear();
        backends.close();
    }

    /**
     * Per-session limits.
     *
     * @param maxPreparedStatements prepared statements open at once; the next prepare gets error 1461
     * @param maxPacketBytes        largest packet a client may send ({@code @@max_allowed_packet}), also the most
     *                              long data for one execute
     */
    public record Limits(int maxPreparedStatements, long maxPacketBytes) {
    }
}
