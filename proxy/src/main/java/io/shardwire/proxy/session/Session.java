package io.shardwire.proxy.session;

import com.mysql.cj.result.Field;
import io.shardwire.config.SchemaConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.config.UserConfig;
import io.shardwire.proxy.backend.BackendConnection;
import io.shardwire.proxy.backend.BackendPools;
import io.shardwire.proxy.backend.BackendPreparedStatement;
import io.shardwire.proxy.backend.BackendStatement;
import io.shardwire.proxy.backend.NodeRows;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.proxy.protocol.constant.MySQLStatusFlag;
import io.shardwire.proxy.backend.BufferedNodeRows;
import io.shardwire.proxy.xa.CrossGroupCommits;
import io.shardwire.router.merge.MergeException;
import io.shardwire.router.merge.MergedResult;
import io.shardwire.router.merge.ResultMerger;
import io.shardwire.router.merge.RowCursor;
import io.shardwire.router.metadata.InformationSchemaView;
import io.shardwire.router.plan.ExecutionPlan;
import io.shardwire.router.plan.ExplainRows;
import io.shardwire.router.plan.LocalAnswer;
import io.shardwire.router.plan.NodeStatement;
import io.shardwire.router.plan.PreparedPlan;
import io.shardwire.router.parse.SqlStatementParser;
import io.shardwire.router.parse.TableReferenceFinder;
import io.shardwire.router.plan.QueryPlanner;
import io.shardwire.router.route.Route;
import io.shardwire.router.rule.DataNode;
import net.sf.jsqlparser.statement.SetStatement;
import io.shardwire.router.route.RouteException;
import io.shardwire.router.route.StatementRefusedException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's state after authentication: who it is, its logical schema, and the
 * backend connections it has pinned (one per shard group it used, held for its lifetime so that
 * session variables and transactions behave as on a single server).
 *
 * <p>Not thread-safe: the frontend runs a session's commands, and finally {@link #close}, one
 * after another.
 */
public final class Session implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final int id;
    private final UserConfig user;
    private final String clientHost;
    private final boolean foundRows;
    private final ShardwireConfig config;
    private final QueryPlanner planner;
    /** Physical database -> logical schema, for access checks of the data nodes a plan touches. */
    private final Map<String, String> logicalSchemaOf;
    private final BackendPools pools;
    private final Map<String, BackendConnection> pinned = new HashMap<>();
    private final Map<Long, PreparedStatementState> prepared = new HashMap<>();
    private final int maxPreparedStatements;
    private final long maxLongDataBytes;
    private long nextStatementId = 1;

    /** The statement id MariaDB clients use for "the statement just prepared". */
    private static final long LAST_PREPARED = 0xFFFF_FFFFL;
    private String schema;
    private final SessionRegistry sessions;
    private final SqlStatementParser statementParser = new SqlStatementParser();
    private final TableReferenceFinder tableFinder = new TableReferenceFinder();
    private final LogicalMetadata metadata;
    private final InformationSchemaQueries informationSchema;
    /** The open transaction: which groups it reached, on which of the pinned connections. */
    private final TransactionState transaction;
    /** The last INSERT's id when the proxy generated it (snowflake keys), else null. */
    private Long proxyLastInsertId;
    /** The group whose AUTO_INCREMENT produced the last INSERT's id, else null. */
    private String lastInsertIdGroup;
    /** Session SETs in order, replayed on every backend connection the session takes later. */
    private final List<String> sessionSets = new ArrayList<>();

    /** Session SETs a session may accumulate; each costs a round trip on every connection it takes. */
    private static final int MAX_SESSION_SETS = 64;
    private final SessionFunctions sessionFunctions;
    /** Where autocommit reads run: replicas or the primary. */
    private final ReadRouting reads;
    /** The backend statement now executing, for KILL QUERY from another thread. */
    private volatile Statement running;

    public Session(int id, UserConfig user, String clientHost, String schema, boolean foundRows,
                   ShardwireConfig config, QueryPlanner planner, BackendPools pools, Limits limits,
                   SessionRegistry sessions, CrossGroupCommits commits) {
        this.sessions = sessions;
        this.maxPreparedStatements = limits.maxPreparedStatements();
        this.maxLongDataBytes = limits.maxPacketBytes();
        this.id = id;
        this.user = user;
        this.clientHost = clientHost;
        this.schema = schema;
        this.foundRows = foundRows;
        this.config = config;
        this.planner = planner;
        this.metadata = new LogicalMetadata(planner.rules());
        this.informationSchema = new InformationSchemaQueries(planner.rules());
        this.logicalSchemaOf = logicalSchemas(config);
        this.pools = pools;
        this.sessionFunctions = new SessionFunctions(id, user.name(), clientHost);
        this.reads = new ReadRouting(pools, foundRows, user.consistency());
        this.transaction = new TransactionState(commits, new TransactionState.Connections() {
            @Override
            public BackendConnection connection(String group) throws SQLException {
                return pinnedConnection(group);
            }

            @Override
            public boolean holds(BackendConnection connection) {
                return pinned.get(connection.group()) == connection;
            }
        });
    }

    private static Map<String, String> logicalSchemas(ShardwireConfig config) {
        Map<String, String> logical = new HashMap<>();
        for (SchemaConfig schema : config.schemas()) {
            logical.put(schema.name(), schema.name());
            schema.dataNodes().forEach(node -> logical.put(node.name(), schema.name()));
        }
        return logical;
    }

    /** The connection id the client was given in the handshake. */
    public int id() {
        return id;
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

    /** COM_QUERY: plan the statement, run it on its data nodes, merge and stream the outcome. */
    public void query(String text, Responder responder) throws ClientGoneException {
        String sql = sessionFunctions.rewrite(text, schema).orElse(text);
        Optional<KillStatement> kill = KillStatement.parse(sql);
        if (kill.isPresent()) {
            kill(kill.get(), responder);
            return;
        }
        Optional<TransactionStatement> transactionStatement = TransactionStatement.parse(sql);
        if (transactionStatement.isPresent()) {
            transaction(transactionStatement.get(), responder);
            return;
        }
        Optional<ShowTables> showTables = ShowTables.parse(sql);
        if (showTables.isPresent()) {
            showTables(showTables.get(), responder);
            return;
        }
        if (reads.answer(sql, responder, statusFlags())) {
            return;
        }
        reads.observe(sql);
        Optional<MetadataAnswer> metadataAnswer = metadata.answer(sql, schema, user);
        if (metadataAnswer.isPresent()) {
            answerMetadata(metadataAnswer.get(), responder);
            return;
        }
        if (answeredFromInformationSchema(sql, responder)) {
            return;
        }
        if (isReplayableSet(sql)) {
            setEverywhere(sql, responder);
            return;
        }
        if (LAST_INSERT_ID.matcher(sql).matches() && (proxyLastInsertId != null || lastInsertIdGroup != null)) {
            // The last INSERT's id lives where it was made: a key the proxy generated, or one group's AUTO_INCREMENT.
            if (proxyLastInsertId != null) {
                responder.rows(List.of("LAST_INSERT_ID()"), List.of(List.of(Long.toString(proxyLastInsertId))),
                        statusFlags());
            } else {
                relay(new NodeStatement(new DataNode(null, lastInsertIdGroup), sql, List.of()), responder);
            }
            return;
        }
        ExecutionPlan plan = planOrRefuse(() -> planner.plan(sql, schema).bind(), responder);
        if (plan != null) {
            responder.routed(plan.statements().size());
        }
        if (plan == null || !mayAccess(plan, responder)) {
            return;
        }
        if (inTransaction() && plan.kind() != ExecutionPlan.Kind.LOCAL && namesNoTable(sql)) {
            // Session variables and functions (drivers ask @@transaction_read_only before each write):
            // answered where the transaction runs, and never the statement that chooses its group.
            NodeStatement node = plan.statements().getFirst();
            String group = transaction.firstGroup();
            relay(group == null ? node : new NodeStatement(new DataNode(null, group), node.sql(), node.parameters()),
                    responder);
            return;
        }
        if (!enlist(plan, responder)) {
            return;
        }
        switch (plan.kind()) {
            case LOCAL -> answerLocally((LocalAnswer) plan.root(), responder);
            case PASS_THROUGH -> relay(plan.statements().getFirst(), responder);
            case WRITE -> write(plan, responder);
            case QUERY -> read(plan, responder, false);
        }
    }

    /**
     * SHOW TABLES with logical names: the configured tables of the schema, and the tables that sit
     * in its default database (those without a placement of their own), sorted.
     */
    private void showTables(ShowTables show, Responder responder) throws ClientGoneException {
        String name = show.schema() != null ? show.schema() : schema;
        if (name == null) {
            SessionError.of(MySQLErrorCode.ER_NO_DB_ERROR).sendTo(responder);
            return;
        }
        SessionError error = checkSchema(name);
        if (error != null) {
            error.sendTo(responder);
            return;
        }
        SchemaConfig logical = config.schema(name).orElseThrow();
        SortedSet<String> tables = new TreeSet<>(logical.tables().keySet());
        BackendConnection backend = pinnedFor(new NodeStatement(
                new DataNode(name, logical.defaultShardGroup()), "SHOW TABLES", List.of()), responder);
        if (backend == null) {
            return;
        }
        onBackend(backend, responder, () -> {
            try (Statement statement = backend.jdbc().createStatement();
                 ResultSet rows = statement.executeQuery("SHOW TABLES FROM `" + name.replace("`", "``") + "`")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            List<String> columns = show.full() ? List.of("Tables_in_" + name, "Table_type") : List.of("Tables_in_" + name);
            List<List<String>> values = tables.stream()
                    .map(table -> show.full() ? List.of(table, "BASE TABLE") : List.of(table))
                    .toList();
            responder.rows(columns, values, backendStatus(backend));
        }, () -> { });
    }

    /** Table metadata with logical names ({@link LogicalMetadata}): relayed, or read, renamed and answered. */
    private void answerMetadata(MetadataAnswer answer, Responder responder) throws ClientGoneException {
        switch (answer) {
            case MetadataAnswer.Relay relay -> relay(relay.statement(), responder);
            case MetadataAnswer.Refused refused -> refused.error().sendTo(responder);
            case MetadataAnswer.Renamed renamed -> {
                List<String> columns = new ArrayList<>();
                List<List<String>> rows = new ArrayList<>();
                int[] status = {statusFlags()};
                for (int i = 0; i < renamed.statements().size(); i++) {
                    NodeStatement node = renamed.statements().get(i);
                    BackendConnection backend = pinnedFor(node, responder);
                    boolean[] done = {false};
                    int index = i;
                    if (backend != null) {
                        runText(backend, node.sql(), List.of(), responder, statement -> {
                            List<List<String>> read = TextRows.read(statement.resultSet(), columns);
                            rows.addAll(renamed.renamer().rename(index, columns, read));
                            status[0] = backendStatus(backend);
                            done[0] = true;
                        });
                    }
                    if (!done[0]) {
                        return;
                    }
                }
                responder.rows(columns, rows, status[0]);
            }
        }
    }

    /** A query of information_schema tables that name tables, run through their logical view; false if it is none. */
    private boolean answeredFromInformationSchema(String sql, Responder responder) throws ClientGoneException {
        if (!InformationSchemaView.mayRead(sql)) {
            return false;
        }
        String group = schema != null ? config.schema(schema).orElseThrow().defaultShardGroup() : config.shardGroups().getFirst().name();
        BackendConnection backend = pinnedFor(new NodeStatement(new DataNode(null, group), sql, List.of()), responder);
        if (backend == null) {
            return true;
        }
        Optional<String> rewritten;
        try {
            rewritten = informationSchema.rewrite(sql, visibleSchemas(), group, backend.jdbc());
        } catch (SQLException e) {
            SessionError.of(MySQLErrorCode.ER_UNKNOWN_ERROR, "reading information_schema's columns: " + e.getMessage())
                    .sendTo(responder);
            return true;
        }
        if (rewritten.isEmpty()) {
            return false;
        }
        relay(new NodeStatement(new DataNode(null, group), rewritten.get(), List.of()), responder);
        return true;
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
            responder.error(e.errorCode(), "HY000", e.getMessage());
        }
        return null;
    }

    /** What to do with a text statement once it has run on a backend. */
    @FunctionalInterface
    private interface TextWork {
        void answer(BackendStatement statement) throws SQLException, ClientGoneException;
    }

    /**
     * Runs {@code sql} on a backend with the text protocol under the session's failure policy
     * ({@link #onBackend}); the statement is cancellable by KILL while it runs and closed after.
     */
    private void runText(BackendConnection backend, String sql, List<?> parameters, Responder responder, TextWork work)
            throws ClientGoneException {
        BackendStatement[] statement = new BackendStatement[1];
        onBackend(backend, responder, () -> {
            statement[0] = BackendStatement.open(backend, sql, parameters);
            running = statement[0].jdbc();
            statement[0].execute();
            work.answer(statement[0]);
        }, () -> {
            if (statement[0] != null) {
                statement[0].closeQuietly();
            }
        });
    }

    /**
     * Whether the statement sets session state that every backend connection of the session must
     * share: {@code SET [SESSION] var = ...} and user variables, naming no table. SET NAMES and the
     * character set variables stay with the connection they were sent to, since the backend
     * connections keep talking utf8mb4 with the proxy.
     */
    private boolean isReplayableSet(String sql) {
        Optional<net.sf.jsqlparser.statement.Statement> parsed = statementParser.parse(sql);
        if (parsed.isEmpty() || !(parsed.get() instanceof SetStatement)) {
            return false;
        }
        String normalized = sql.trim().toUpperCase(Locale.ROOT);
        return !normalized.startsWith("SET NAMES") && !normalized.startsWith("SET CHARACTER SET")
                && !normalized.contains("CHARACTER_SET") && !normalized.contains("COLLATION")
                && !normalized.contains("TRANSACTION") && tableFinder.find(parsed.get()).isEmpty();
    }

    /**
     * Runs a session SET on the connection of the schema's default group (whose answer the client
     * gets), then on every other connection the session holds, and remembers it for connections it
     * opens later, up to {@value #MAX_SESSION_SETS} statements.
     */
    private void setEverywhere(String sql, Responder responder) throws ClientGoneException {
        if (sessionSets.size() >= MAX_SESSION_SETS) {
            SessionError.of(MySQLErrorCode.ER_NOT_SUPPORTED_YET, "more than " + MAX_SESSION_SETS
                    + " session SET statements in one session").sendTo(responder);
            return;
        }
        String group = schema == null ? config.shardGroups().getFirst().name()
                : config.schema(schema).map(SchemaConfig::defaultShardGroup).orElse(config.shardGroups().getFirst().name());
        BackendConnection first = pinnedFor(new NodeStatement(new DataNode(null, group), sql, List.of()), responder);
        if (first == null || !runQuietly(first, sql, responder)) {
            return;
        }
        for (BackendConnection other : List.copyOf(pinned.values())) {
            if (other != first && !runQuietly(other, sql, responder)) {
                return;
            }
        }
        sessionSets.add(sql);
        responder.ok(0, 0, statusFlags());
    }

    /** Brings a connection the session just took to the session's state (its earlier SETs). */
    private BackendConnection withSessionState(BackendConnection connection) throws SQLException {
        for (String set : sessionSets) {
            try (Statement statement = connection.jdbc().createStatement()) {
                statement.execute(set);
            }
        }
        return connection;
    }

    /** Whether the statement names no table (JSqlParser can parse it and finds none). */
    private boolean namesNoTable(String sql) {
        return statementParser.parse(sql).map(statement -> tableFinder.find(statement).isEmpty()).orElse(false);
    }

    /** Whether statements now run inside a transaction (BEGIN seen, or autocommit off). */
    private boolean inTransaction() {
        return transaction.active();
    }

    /**
     * BEGIN / COMMIT / ROLLBACK / SET autocommit / savepoints / SET TRANSACTION: the session's
     * {@link TransactionState} holds BEGIN until a statement routes and enlists each group it reaches.
     */
    private void transaction(TransactionStatement statement, Responder responder) throws ClientGoneException {
        try {
            switch (statement.kind()) {
                case XA -> {
                    SessionError.of(MySQLErrorCode.ER_NOT_SUPPORTED_YET,
                            "XA statements from clients (the proxy runs XA itself for transactions over several shard groups)")
                            .sendTo(responder);
                    return;
                }
                case SESSION_CHARACTERISTICS -> {
                    setEverywhere(statement.sql(), responder);
                    return;
                }
                case BEGIN -> {
                    // As in MySQL, BEGIN first commits a transaction that is open.
                    transaction.commit();
                    transaction.begin(statement.sql());
                }
                case COMMIT -> transaction.commit();
                case ROLLBACK -> transaction.rollback();
                case AUTOCOMMIT_OFF -> transaction.turnAutocommitOff();
                case AUTOCOMMIT_ON -> {
                    transaction.commit();
                    transaction.turnAutocommitOn();
                }
                case SAVEPOINT -> transaction.savepoint(statement.name(), statement.sql());
                case ROLLBACK_TO -> transaction.rollbackTo(statement.name(), statement.sql());
                case RELEASE -> transaction.release(statement.name(), statement.sql());
                case NEXT_CHARACTERISTICS -> transaction.nextCharacteristics(statement.sql());
            }
        } catch (SQLException e) {
            responder.error(e.getErrorCode(), Objects.requireNonNullElse(e.getSQLState(), "HY000"), e.getMessage());
            return;
        }
        responder.ok(0, 0, statusFlags());
    }

    /**
     * Puts the groups of the plan's statements into the session's transaction, if one is open
     * (see {@link TransactionState#enlist}).
     *
     * @return false if the client got an error
     */
    private boolean enlist(ExecutionPlan plan, Responder responder) throws ClientGoneException {
        if (!inTransaction() || plan.statements().isEmpty()) {
            return true;
        }
        SortedSet<String> groups = new TreeSet<>();
        plan.statements().forEach(node -> groups.add(node.node().shardGroup()));
        try {
            transaction.enlist(groups);
            return true;
        } catch (SQLException e) {
            responder.error(e.getErrorCode(), Objects.requireNonNullElse(e.getSQLState(), "HY000"), e.getMessage());
            return false;
        }
    }

    /** Runs a statement whose result the client does not see; on failure the client gets the error. */
    private boolean runQuietly(BackendConnection backend, String sql, Responder responder) throws ClientGoneException {
        boolean[] done = {false};
        runText(backend, sql, List.of(), responder, statement -> done[0] = true);
        return done[0];
    }

    private void answerLocally(LocalAnswer local, Responder responder) throws ClientGoneException {
        switch (local.answer()) {
            case LocalAnswer.SchemaAnswer schemaAnswer -> {
                switch (schemaAnswer.route()) {
                    case Route.UseSchema use -> useSchema(use.schema(), responder);
                    case Route.ShowSchemas show -> {
                        // As MariaDB lists them: information_schema, then the schemas in name order.
                        List<String> databases = new ArrayList<>(List.of("information_schema"));
                        visibleSchemas().stream().sorted().forEach(databases::add);
                        responder.rows("Database", databases, statusFlags());
                    }
                    case Route.ToShardGroup unexpected -> SessionError.of(MySQLErrorCode.ER_UNKNOWN_ERROR,
                            "no local answer for " + unexpected).sendTo(responder);
                }
            }
            case ExplainRows explain -> responder.rows(explain.columns(), explain.rows(), statusFlags());
        }
    }

    /** Runs one node's statement and relays the backend's answer as it is (DDL, SET, SHOW, a single-node query). */
    private void relay(NodeStatement node, Responder responder) throws ClientGoneException {
        BackendConnection backend = pinnedFor(node, responder);
        if (backend == null) {
            return;
        }
        runText(backend, node.sql(), node.parameters(), responder, statement -> {
            do {
                if (statement.isResultSet()) {
                    responder.rows(statement.resultSet(), () -> backendStatus(backend));
                } else {
                    rememberLastInsertId(statement.lastInsertId(), backend.group());
                    responder.ok(statement.updateCount(), statement.lastInsertId(), backendStatus(backend));
                }
            } while (statement.nextResult());
        });
    }

    /**
     * An INSERT/UPDATE/DELETE on one or more data nodes, each on the session's connection to its
     * group, one after another; the affected rows add up. The LAST_INSERT_ID is the first key the
     * proxy generated, else the backend's.
     */
    private void write(ExecutionPlan plan, Responder responder) throws ClientGoneException {
        if (plan.isSingleNode() && plan.generatedKeys().isEmpty()) {
            relay(plan.statements().getFirst(), responder);
            return;
        }
        long affected = 0;
        long lastInsertId = 0;
        int status = statusFlags();
        for (NodeStatement node : plan.statements()) {
            BackendConnection backend = pinnedFor(node, responder);
            if (backend == null) {
                return;
            }
            long[] outcome = new long[2];
            boolean[] failed = {true};
            runText(backend, node.sql(), node.parameters(), responder, statement -> {
                outcome[0] = statement.updateCount();
                outcome[1] = statement.lastInsertId();
                failed[0] = false;
            });
            if (failed[0]) {
                return;
            }
            affected += outcome[0];
            if (lastInsertId == 0) {
                lastInsertId = outcome[1];
                rememberLastInsertId(outcome[1], node.node().shardGroup());
            }
            status = statusFlags();
        }
        if (!plan.generatedKeys().isEmpty()) {
            lastInsertId = plan.generatedKeys().getFirst();
            proxyLastInsertId = lastInsertId;
            lastInsertIdGroup = null;
        }
        responder.ok(affected, lastInsertId, status);
    }

    /**
     * A SELECT: one node runs on the session's own connection; several run at once on connections of
     * their own (each node's rows stream while they merge), so they are refused inside a transaction,
     * whose uncommitted rows only the session's connection sees.
     */
    private void read(ExecutionPlan plan, Responder responder, boolean binary) throws ClientGoneException {
        if (plan.isSingleNode()) {
            NodeStatement node = plan.statements().getFirst();
            BackendConnection replica = replicaFor(node);
            if (replica != null && mergeFrom(plan, List.of(replica), responder, true, binary, true)) {
                return;
            }
            BackendConnection backend = pinnedFor(node, responder);
            if (backend != null) {
                mergeFrom(plan, List.of(backend), responder, false, binary, false);
            }
            return;
        }
        if (inTransaction()) {
            // The transaction's uncommitted rows are visible only on its own connections.
            List<BackendConnection> connections = new ArrayList<>();
            for (NodeStatement node : plan.statements()) {
                BackendConnection backend = pinnedFor(node, responder);
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
                connections.add(replica != null ? replica
                        : withSessionState(pools.primaryConnection(node.node().shardGroup(), foundRows)));
            }
        } catch (SQLException e) {
            connections.forEach(BackendConnection::close);
            responder.error(MySQLErrorCode.ER_UNKNOWN_ERROR.errorCode(), MySQLErrorCode.ER_UNKNOWN_ERROR.sqlState(),
                    "A shard group of " + plan.statements() + " is unavailable: " + e.getMessage());
            return;
        }
        mergeFrom(plan, connections, responder, true, binary, false);
    }

    /** A replica connection for an autocommit read of the node (see {@link ReadRouting}), or null for the primary. */
    private BackendConnection replicaFor(NodeStatement node) {
        if (inTransaction()) {
            return null;
        }
        String group = node.node().shardGroup();
        BackendConnection replica = reads.replicaFor(group, node.sql(), pinned.get(group));
        if (replica == null) {
            return null;
        }
        try {
            return withSessionState(replica);
        } catch (SQLException e) {
            log.debug("session {}: replaying the session's SETs on {} failed; reading from the primary", id,
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
        try {
            List<RowCursor> inputs = new ArrayList<>();
            Field[] fields = null;
            for (int i = 0; i < connections.size(); i++) {
                NodeStatement node = plan.statements().get(i);
                BackendConnection connection = connections.get(i);
                if (node.node().database() != null) {
                    connection.useCatalog(node.node().database());
                }
                BackendStatement statement = BackendStatement.open(connection, node.sql(), node.parameters());
                statements.add(statement);
                running = statement.jdbc();
                statement.execute();
                ResultSet rows = statement.resultSet();
                if (fields == null) {
                    fields = BackendStatement.fieldsOf(rows);
                }
                // A connection streams one result at a time: nodes that share a transaction's
                // connection with a later node are read into memory first (under the merge cap).
                boolean shared = connections.subList(i + 1, connections.size()).contains(connection);
                if (shared) {
                    inputs.add(BufferedNodeRows.readAll(rows, config.router().maxMemoryMergeRows(),
                            config.router().maxMemoryMergeBytes()));
                    statement.closeQuietly();
                } else {
                    inputs.add(new NodeRows(rows));
                }
            }
            MergedResult merged = ResultMerger.merge(plan, NodeRows.columns(fields), inputs);
            responder.mergedRows(fields, merged, scatter ? statusFlags() : backendStatus(connections.getFirst()), binary);
        } catch (ClientGoneException e) {
            clientGone = true;
            throw e;
        } catch (SQLException | NodeRows.BackendReadException e) {
            // Rows other nodes still send are not wanted: closing would read them to their end.
            clientGone = scatter;
            SQLException cause = e instanceof NodeRows.BackendReadException read ? read.getCause() : (SQLException) e;
            if (retryable && e instanceof SQLException && BackendStatement.isConnectionLost(cause)) {
                // Nothing reached the client yet (rows had not started), so the read can run elsewhere.
                log.warn("session {}: lost the replica connection to {} ({}); reading again from the primary", id,
                        connections.getFirst().address(), cause.getMessage());
                return false;
            }
            responder.error(cause.getErrorCode(), Objects.requireNonNullElse(cause.getSQLState(), "HY000"),
                    cause.getMessage());
        } catch (MergeException e) {
            clientGone = scatter;
            SessionError.of(MySQLErrorCode.ER_UNKNOWN_ERROR, e.getMessage()).sendTo(responder);
        } finally {
            running = null;
            finishNodes(statements, connections, scatter, clientGone);
        }
        return true;
    }

    /** Ends the node statements: abort the connections whose rows nobody will read, else close them. */
    private void finishNodes(List<BackendStatement> statements, List<BackendConnection> connections, boolean scatter,
                             boolean abandon) {
        if (abandon) {
            for (BackendConnection connection : connections) {
                if (scatter) {
                    connection.abort();
                } else {
                    dropBroken(connection, true);
                }
            }
        }
        statements.forEach(BackendStatement::closeQuietly);
        if (scatter && !abandon) {
            connections.forEach(BackendConnection::close);
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
        BackendConnection backend = pinnedFor(node, responder);
        if (backend == null) {
            return;
        }
        runText(backend, node.sql(), node.parameters(), responder, statement ->
                responder.fieldList(BackendStatement.fieldsOf(statement.resultSet()), backendStatus(backend)));
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
     * COM_STMT_PREPARE: plan the statement once; describe it by preparing it on the backend of the
     * data node its placeholders, left unbound, route to (the columns are the same on every node).
     */
    public void prepare(String sql, Responder responder) throws ClientGoneException {
        if (prepared.size() >= maxPreparedStatements) {
            SessionError.of(MySQLErrorCode.ER_MAX_PREPARED_STMT_COUNT_REACHED, maxPreparedStatements).sendTo(responder);
            return;
        }
        // Statements that change the session's own state are the proxy's to run: prepared, they would reach one
        // backend behind its back. Refused as MySQL refuses what it cannot prepare (clients fall back to text).
        if (TransactionStatement.parse(sql).isPresent() || KillStatement.parse(sql).isPresent() || isReplayableSet(sql)) {
            SessionError.of(MySQLErrorCode.ER_UNSUPPORTED_PS).sendTo(responder);
            return;
        }
        PreparedPlan[] planned = new PreparedPlan[1];
        ExecutionPlan probe = planOrRefuse(() -> {
            planned[0] = planner.plan(sql, schema);
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
        BackendConnection backend = pinnedFor(node, responder);
        if (backend == null) {
            return;
        }
        PreparedStatementState state = new PreparedStatementState(nextStatementId, sql, plan);
        onBackend(backend, responder, () -> {
            BackendPreparedStatement statement = state.backendStatement(backend, node.sql());
            prepared.put(state.id(), state);
            nextStatementId++;
            responder.prepared(state.id(), plan.parameterCount(), statement.columns());
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
     * server-side prepared statement and its binary rows pass through unchanged.
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
        ExecutionPlan plan;
        try {
            plan = state.plan().bind(parameters);
        } catch (StatementRefusedException e) {
            state.clearLongData();
            responder.error(e.errorCode(), "HY000", e.getMessage());
            return;
        }
        responder.routed(plan.statements().size());
        if (!mayAccess(plan, responder) || !enlist(plan, responder)) {
            state.clearLongData();
            return;
        }
        if (!plan.isSingleNode() || !plan.generatedKeys().isEmpty()) {
            // Spread over data nodes (or with keys the proxy generated): run the nodes' statements
            // with the text protocol, merge, and send the merged rows in binary form.
            state.clearLongData();
            switch (plan.kind()) {
                case WRITE -> write(plan, responder);
                case QUERY -> read(plan, responder, true);
                default -> SessionError.of(MySQLErrorCode.ER_UNSUPPORTED_PS).sendTo(responder);
            }
            return;
        }
        NodeStatement node = plan.statements().getFirst();
        BackendConnection backend = pinnedFor(node, responder);
        if (backend == null) {
            state.clearLongData();
            return;
        }
        BackendPreparedStatement[] statement = new BackendPreparedStatement[1];
        onBackend(backend, responder, () -> {
            statement[0] = state.backendStatement(backend, node.sql());
            running = statement[0].jdbc();
            statement[0].execute(new ArrayList<>(node.parameters()));
            if (statement[0].isResultSet()) {
                responder.binaryRows(statement[0].resultSet(), () -> backendStatus(backend));
            } else {
                rememberLastInsertId(statement[0].lastInsertId(), backend.group());
                responder.ok(statement[0].updateCount(), statement[0].lastInsertId(), backendStatus(backend));
            }
        }, () -> {
            if (statement[0] != null) {
                statement[0].closeResult();
            }
            state.clearLongData();
        });
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
        for (NodeStatement node : plan.statements()) {
            String database = node.node().database() != null ? node.node().database() : namedDatabase(node.sql());
            String logical = database == null ? null : logicalSchemaOf.get(database);
            if (logical != null && !user.maySee(logical)) {
                SessionError.of(MySQLErrorCode.ER_DBACCESS_DENIED_ERROR, user.name(), clientHost, logical)
                        .sendTo(responder);
                return false;
            }
        }
        return true;
    }

    /** {@code SELECT LAST_INSERT_ID()}, as drivers and ORMs send it after an INSERT. */
    private static final Pattern LAST_INSERT_ID = Pattern.compile("(?is)\\s*SELECT\\s+LAST_INSERT_ID\\s*\\(\\s*\\)\\s*;?\\s*");

    /** Remembers where the last generated AUTO_INCREMENT value came from, as MySQL keeps it per connection. */
    private void rememberLastInsertId(long lastInsertId, String group) {
        if (lastInsertId != 0) {
            proxyLastInsertId = null;
            lastInsertIdGroup = group;
        }
    }

    /** CREATE DATABASE/SCHEMA [IF NOT EXISTS] name and DROP DATABASE/SCHEMA [IF EXISTS] name: they run outside any database. */
    private static final Pattern DATABASE_DDL = Pattern.compile(
            "(?is)\\s*(?:CREATE|DROP)\\s+(?:DATABASE|SCHEMA)\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?`?([^`\\s;]+)`?.*");

    /** The database a CREATE or DROP DATABASE statement creates or drops, or null for any other statement. */
    private static String namedDatabase(String sql) {
        Matcher matcher = DATABASE_DDL.matcher(sql);
        return matcher.matches() ? matcher.group(1) : null;
    }

    /** The session's connection to the node's group, in the node's database; null after answering an error. */
    private BackendConnection pinnedFor(NodeStatement node, Responder responder) throws ClientGoneException {
        String group = node.node().shardGroup();
        try {
            BackendConnection backend = pinnedConnection(group);
            if (node.node().database() != null) {
                backend.useCatalog(node.node().database());
            }
            return backend;
        } catch (SQLException e) {
            BackendConnection broken = pinned.get(group);
            if (broken != null && BackendStatement.isConnectionLost(e)) {
                dropBroken(broken, false);
            }
            responder.error(MySQLErrorCode.ER_UNKNOWN_ERROR.errorCode(), MySQLErrorCode.ER_UNKNOWN_ERROR.sqlState(),
                    "Shard group " + group + " (" + pools.primaryAddress(group) + ") is unavailable: " + e.getMessage());
            return null;
        }
    }

    /** Work on a backend connection that answers the client itself. */
    @FunctionalInterface
    private interface BackendWork {
        void run() throws SQLException, ClientGoneException;
    }

    /**
     * Runs backend work with the session's failure policy: a backend error is passed to the client
     * with its code and SQLSTATE; a lost backend connection is dropped and reported naming the
     * group; a client that leaves gets its backend connection aborted before {@code cleanup} runs,
     * since closing a streaming result would otherwise read it to its end.
     */
    private void onBackend(BackendConnection backend, Responder responder, BackendWork work, Runnable cleanup)
            throws ClientGoneException {
        try {
            work.run();
        } catch (ClientGoneException e) {
            dropBroken(backend, true);
            throw e;
        } catch (SQLException e) {
            if (BackendStatement.isConnectionLost(e)) {
                dropBroken(backend, false);
                responder.error(MySQLErrorCode.ER_UNKNOWN_ERROR.errorCode(), MySQLErrorCode.ER_UNKNOWN_ERROR.sqlState(),
                        "Lost the connection to shard group " + backend.group() + " (" + backend.address() + "): "
                                + e.getMessage());
            } else {
                responder.error(e.getErrorCode(), Objects.requireNonNullElse(e.getSQLState(), "HY000"), e.getMessage());
            }
        } finally {
            running = null;
            cleanup.run();
        }
    }

    /**
     * Stops the statement this session is running on a backend, if any (the backend gets KILL QUERY
     * for it on a separate connection, and the client its 1317 error). Safe from any thread.
     */
    public void cancelRunning() {
        Statement statement = running;
        if (statement != null) {
            try {
                statement.cancel();
            } catch (SQLException e) {
                log.debug("session {}: cancelling the running statement failed", id, e);
            }
        }
    }

    /** KILL [QUERY | CONNECTION] id, and COM_PROCESS_KILL: stop another session's statement or connection. */
    public void kill(KillStatement kill, Responder responder) throws ClientGoneException {
        Optional<SessionRegistry.Control> target = sessions.find(kill.connectionId());
        if (target.isEmpty()) {
            SessionError.of(MySQLErrorCode.ER_NO_SUCH_THREAD, kill.connectionId()).sendTo(responder);
            return;
        }
        if (!user.admin() && !target.get().user().equals(user.name())) {
            SessionError.of(MySQLErrorCode.ER_KILL_DENIED_ERROR, kill.connectionId()).sendTo(responder);
            return;
        }
        if (kill.queryOnly()) {
            target.get().cancelQuery();
        } else {
            target.get().closeConnection();
        }
        responder.ok(0, 0, statusFlags());
    }

    /** The session's connection to the group, opened on first use. */
    private BackendConnection pinnedConnection(String group) throws SQLException {
        reads.usedPrimary(group);
        BackendConnection backend = pinned.get(group);
        if (backend == null) {
            backend = pools.primaryConnection(group, foundRows);
            pinned.put(group, backend);
            withSessionState(backend);
        }
        return backend;
    }

    private void dropBroken(BackendConnection backend, boolean clientGone) {
        if (pinned.remove(backend.group()) != null) {
            reads.lostPrimary(backend.group());
        }
        prepared.values().forEach(state -> state.forget(backend));
        backend.abort();
        if (!clientGone) {
            log.warn("session {}: lost the backend connection to {} ({})", id, backend.group(), backend.address());
        }
    }

    private List<String> visibleSchemas() {
        return config.schemas().stream().map(s -> s.name()).filter(user::maySee).toList();
    }

    /** The flags a client may see from a backend response: transaction state and more results. */
    private static int backendStatus(BackendConnection backend) throws SQLException {
        return backend.serverStatusFlags() & (MySQLStatusFlag.SERVER_STATUS_AUTOCOMMIT.value()
                | MySQLStatusFlag.SERVER_STATUS_IN_TRANS.value() | MySQLStatusFlag.SERVER_MORE_RESULTS_EXISTS.value());
    }

    /** Autocommit unless the session or a backend has it off; in a transaction if the session or any backend is. */
    public int statusFlags() {
        int autocommit = MySQLStatusFlag.SERVER_STATUS_AUTOCOMMIT.value();
        int inTransaction = MySQLStatusFlag.SERVER_STATUS_IN_TRANS.value();
        int flags = (transaction.autocommitOff() ? 0 : autocommit) | (transaction.explicit() ? inTransaction : 0);
        for (BackendConnection backend : pinned.values()) {
            try {
                int backendFlags = backend.serverStatusFlags();
                flags &= backendFlags | ~autocommit;
                flags |= backendFlags & inTransaction;
            } catch (SQLException e) {
                log.debug("session {}: no status from {}", id, backend.address(), e);
            }
        }
        return flags;
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
        sessionSets.clear();
        proxyLastInsertId = null;
        lastInsertIdGroup = null;
        reads.reset(user.consistency());
        transaction.abandon();
        prepared.values().forEach(PreparedStatementState::close);
        prepared.clear();
        pinned.values().forEach(BackendConnection::close);
        pinned.clear();
    }

    /**
     * Per-session limits.
     *
     * @param maxPreparedStatements prepared statements open at once; the next prepare gets error 1461
     * @param maxPacketBytes        largest value a client may send, also as long data for one execute
     */
    public record Limits(int maxPreparedStatements, long maxPacketBytes) {
    }
}
