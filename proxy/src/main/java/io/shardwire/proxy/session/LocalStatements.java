package io.shardwire.proxy.session;

import com.mysql.cj.result.Field;
import io.shardwire.config.SchemaConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.config.UserConfig;
import io.shardwire.proxy.backend.BackendConnection;
import io.shardwire.proxy.backend.BackendStatement;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.proxy.protocol.constant.MySQLStatusFlag;
import io.shardwire.router.metadata.InformationSchemaView;
import io.shardwire.router.parse.SqlStatementParser;
import io.shardwire.router.parse.TableReferenceFinder;
import io.shardwire.router.plan.ExplainRows;
import io.shardwire.router.plan.LocalAnswer;
import io.shardwire.router.plan.NodeStatement;
import io.shardwire.router.route.Route;
import io.shardwire.router.rule.DataNode;
import java.nio.charset.Charset;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.statement.SetStatement;

/**
 * The text statements a session answers itself, or runs its own way, before any planning: KILL,
 * transaction statements, SHOW TABLES with logical names, the {@code shardwire_consistency}
 * variable, SHOW VARIABLES with the proxy's max_allowed_packet, table metadata, information_schema views, session SETs and character set statements
 * replayed on every backend connection, and LAST_INSERT_ID(). One dispatch on the statement's first keyword picks the few
 * recognisers that may apply; a statement none of them answers goes on to the planner.
 *
 * <p>Not thread-safe: owned by one session.
 */
final class LocalStatements {

    /** {@code SELECT LAST_INSERT_ID()}, as drivers and ORMs send it after an INSERT. */
    private static final Pattern LAST_INSERT_ID = Pattern.compile("(?is)\\s*SELECT\\s+LAST_INSERT_ID\\s*\\(\\s*\\)\\s*;?\\s*");

    private final Session session;
    private final ShardwireConfig config;
    private final UserConfig user;
    private final SessionRegistry sessions;
    private final SessionBackends backends;
    private final PlanExecutor executor;
    private final TransactionState transaction;
    private final ReadRouting reads;
    private final LastInsertId lastInsertId;
    private final LogicalMetadata metadata;
    private final InformationSchemaQueries informationSchema;
    private final SqlStatementParser statementParser = new SqlStatementParser();
    private final TableReferenceFinder tableFinder = new TableReferenceFinder();
    /** The charset of the client's statements after a SET NAMES, or null for the one of its handshake. */
    private Charset clientCharset;
    /** The results charset set by a statement (empty: unconverted), or null for the handshake's. */
    private Optional<ResultsCharset> resultsCharset;

    LocalStatements(Session session, ShardwireConfig config, UserConfig user, SessionRegistry sessions,
                    SessionBackends backends, PlanExecutor executor, TransactionState transaction, ReadRouting reads,
                    LastInsertId lastInsertId, LogicalMetadata metadata, InformationSchemaQueries informationSchema) {
        this.session = session;
        this.config = config;
        this.user = user;
        this.sessions = sessions;
        this.backends = backends;
        this.executor = executor;
        this.transaction = transaction;
        this.reads = reads;
        this.lastInsertId = lastInsertId;
        this.metadata = metadata;
        this.informationSchema = informationSchema;
    }

    /**
     * Answers {@code sql} if it is one of the session's own statements.
     *
     * @param keyword the statement's first keyword ({@link StatementKeyword#of})
     * @return false when the statement is for the planner
     */
    boolean answered(String sql, StatementKeyword keyword, Responder responder) throws ClientGoneException {
        return switch (keyword) {
            case KILL -> kill(sql, responder) || informationSchema(sql, responder);
            case TRANSACTION -> transaction(sql, responder) || informationSchema(sql, responder);
            case SET -> transaction(sql, responder) || reads.answer(sql, responder, session.statusFlags())
                    || informationSchema(sql, responder) || charsets(sql, responder) || replayableSet(sql, responder);
            case SHOW -> accountView(sql, responder) || showTables(sql, responder)
                    || reads.answer(sql, responder, session.statusFlags())
                    || variables(sql, responder) || metadata(sql, responder) || informationSchema(sql, responder);
            case DESCRIBE -> metadata(sql, responder) || informationSchema(sql, responder);
            case SELECT -> reads.answer(sql, responder, session.statusFlags()) || informationSchema(sql, responder)
                    || lastInsertId(sql, responder);
            case CREATE -> {
                reads.observe(sql);
                yield informationSchema(sql, responder);
            }
            case WITH, CALL, OTHER -> informationSchema(sql, responder);
        };
    }

    /** Whether {@link #answered} answers this SELECT itself (it reads nothing of the session's connections to tell). */
    boolean answersSelect(String sql) {
        return ReadRouting.answersSelect(sql) || InformationSchemaView.mayRead(sql)
                || asksLastInsertId(sql);
    }

    /** Whether the statement is {@code SELECT LAST_INSERT_ID()} and the session knows the answer's source. */
    private boolean asksLastInsertId(String sql) {
        return lastInsertId.known() && LAST_INSERT_ID.matcher(sql).matches();
    }

    /**
     * Whether a statement must not be prepared (clients fall back to text): one that changes the session's own state,
     * which prepared would reach one backend behind the proxy's back, and one of the logical metadata answers (SHOW
     * TABLES / COLUMNS / INDEX / CREATE TABLE / TABLE STATUS, DESCRIBE, information_schema), which the backend would
     * answer prepared with physical names, or with nothing.
     */
    boolean refusedWhenPrepared(String sql) {
        return switch (StatementKeyword.of(sql)) {
            case TRANSACTION -> TransactionStatement.parse(sql).isPresent();
            case KILL -> KillStatement.parse(sql).isPresent();
            case SET -> TransactionStatement.parse(sql).isPresent() || isReplayableSet(sql) || isCharsetStatement(sql);
            case SHOW -> ShowTables.parse(sql).isPresent() || metadata.answer(sql, session.schema(), user).isPresent()
                    || InformationSchemaView.mayRead(sql);
            case DESCRIBE -> metadata.answer(sql, session.schema(), user).isPresent();
            default -> InformationSchemaView.mayRead(sql);
        };
    }

    /** The proxy's answer to a plan it answers itself: USE, SHOW DATABASES, EXPLAIN SHARDWIRE. */
    void answerPlanned(LocalAnswer local, Responder responder) throws ClientGoneException {
        switch (local.answer()) {
            case LocalAnswer.SchemaAnswer schemaAnswer -> {
                switch (schemaAnswer.route()) {
                    case Route.UseSchema use -> session.useSchema(use.schema(), responder);
                    case Route.ShowSchemas show -> {
                        // As MariaDB lists them: information_schema, then the schemas in name order.
                        List<String> databases = new ArrayList<>(List.of("information_schema"));
                        visibleSchemas().stream().sorted().forEach(databases::add);
                        responder.rows("Database", databases, session.statusFlags());
                    }
                    case Route.ToShardGroup unexpected -> SessionError.of(MySQLErrorCode.ER_UNKNOWN_ERROR,
                            "no local answer for " + unexpected).sendTo(responder);
                }
            }
            case ExplainRows explain -> responder.rows(explain.columns(), explain.rows(), session.statusFlags());
        }
    }

    /** KILL [QUERY | CONNECTION] id, and COM_PROCESS_KILL: stop another session's statement or connection. */
    void kill(KillStatement kill, Responder responder) throws ClientGoneException {
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
        responder.ok(0, 0, session.statusFlags());
    }

    private boolean kill(String sql, Responder responder) throws ClientGoneException {
        Optional<KillStatement> kill = KillStatement.parse(sql);
        if (kill.isEmpty()) {
            return false;
        }
        kill(kill.get(), responder);
        return true;
    }

    /**
     * BEGIN / COMMIT / ROLLBACK / SET autocommit / savepoints / SET TRANSACTION: the session's
     * {@link TransactionState} holds BEGIN until a statement routes and enlists each group it reaches.
     */
    private boolean transaction(String sql, Responder responder) throws ClientGoneException {
        Optional<TransactionStatement> parsed = TransactionStatement.parse(sql);
        if (parsed.isEmpty()) {
            return false;
        }
        TransactionStatement statement = parsed.get();
        try {
            switch (statement.kind()) {
                case XA -> {
                    SessionError.of(MySQLErrorCode.ER_NOT_SUPPORTED_YET,
                            "XA statements from clients (the proxy runs XA itself for transactions over several shard groups)")
                            .sendTo(responder);
                    return true;
                }
                case SESSION_CHARACTERISTICS -> {
                    setEverywhere(statement.sql(), responder);
                    return true;
                }
                case MIXED_CHARACTERISTICS -> {
                    SessionError.of(MySQLErrorCode.ER_NOT_SUPPORTED_YET, "a SET of transaction_isolation, tx_isolation,"
                            + " transaction_read_only or tx_read_only in the GLOBAL scope, or for the next transaction"
                            + " (@@ without a scope) together with other assignments (set those in a statement of"
                            + " their own)").sendTo(responder);
                    return true;
                }
                case BEGIN -> {
                    // As in MySQL, BEGIN first commits a transaction that is open.
                    transaction.commit();
                    transaction.begin(statement.sql());
                }
                case COMMIT -> transaction.commit();
                case ROLLBACK -> transaction.rollback();
                case AUTOCOMMIT_OFF, AUTOCOMMIT_ON -> {
                    boolean on = statement.kind() == TransactionStatement.Kind.AUTOCOMMIT_ON;
                    if (on) {
                        transaction.commit();
                    }
                    // The other assignments of the list, run as a SET of their own would be (their error is the
                    // answer); autocommit itself is the session's, never the backends'.
                    if (statement.others() != null && !runAlongAutocommit(statement.others(), responder)) {
                        return true;
                    }
                    if (on) {
                        transaction.turnAutocommitOn();
                    } else {
                        transaction.turnAutocommitOff();
                    }
                }
                case MIXED_AUTOCOMMIT -> {
                    SessionError.of(MySQLErrorCode.ER_NOT_SUPPORTED_YET, "a SET of autocommit together with the next"
                            + " transaction's or the global transaction characteristics (set autocommit in a statement"
                            + " of its own)").sendTo(responder);
                    return true;
                }
                case SAVEPOINT -> transaction.savepoint(statement.name(), statement.sql());
                case ROLLBACK_TO -> transaction.rollbackTo(statement.name(), statement.sql());
                case RELEASE -> transaction.release(statement.name(), statement.sql());
                case NEXT_CHARACTERISTICS -> transaction.nextCharacteristics(statement.sql());
            }
        } catch (SQLException e) {
            responder.error(e);
            return true;
        }
        responder.ok(0, 0, session.statusFlags());
        return true;
    }

    /**
     * SHOW TABLES with logical names: the configured tables of the schema, and the tables that sit in its default
     * database (those without a placement of their own), sorted; a WHERE condition is applied by the backend to them
     * ({@link ShowTables#whereQuery}).
     */
    private boolean showTables(String sql, Responder responder) throws ClientGoneException {
        ShowTables show = ShowTables.parse(sql).orElse(null);
        if (show == null) {
            return false;
        }
        Optional<String> refusal = show.whereRefusal();
        if (refusal.isPresent()) {
            SessionError.of(MySQLErrorCode.ER_NOT_SUPPORTED_YET, "SHOW TABLES WHERE with " + refusal.get()).sendTo(responder);
            return true;
        }
        String name = show.schema() != null ? show.schema() : session.schema();
        if (name == null) {
            SessionError.of(MySQLErrorCode.ER_NO_DB_ERROR).sendTo(responder);
            return true;
        }
        SessionError error = session.checkSchema(name);
        if (error != null) {
            error.sendTo(responder);
            return true;
        }
        SchemaConfig logical = config.schema(name).orElseThrow();
        SortedMap<String, String> tables = new TreeMap<>();
        logical.tables().keySet().forEach(table -> tables.put(table, "BASE TABLE"));
        BackendConnection backend = backends.pinnedFor(new NodeStatement(
                new DataNode(name, logical.defaultShardGroup()), "SHOW TABLES", List.of()), responder);
        if (backend == null) {
            return true;
        }
        backends.onBackend(backend, responder, () -> {
            try (Statement statement = backend.jdbc().createStatement();
                 ResultSet rows = statement.executeQuery("SHOW FULL TABLES FROM " + SqlWords.quote(name))) {
                while (rows.next()) {
                    tables.put(rows.getString(1), rows.getString(2));
                }
            }
            List<String> columns = show.full() ? List.of(show.nameColumn(name), "Table_type") : List.of(show.nameColumn(name));
            List<List<String>> values = show.where() != null
                    ? readText(backend, show.whereQuery(name, tables), List.of(), new ArrayList<>())
                    : show.matching(tables.keySet()).stream()
                            .map(table -> show.full() ? List.of(table, tables.get(table)) : List.of(table))
                            .toList();
            responder.rows(columns, values, session.statusFlags());
        }, () -> { });
        return true;
    }

    /** SHOW VARIABLES: the backend's, with the proxy's max_allowed_packet ({@link ShowVariables}). */
    private boolean variables(String sql, Responder responder) throws ClientGoneException {
        ShowVariables show = ShowVariables.parse(sql).orElse(null);
        if (show == null) {
            return false;
        }
        variables(show, sql, List.of(), responder, false);
        return true;
    }

    /**
     * Answers a SHOW VARIABLES with the proxy's max_allowed_packet, as text or as a prepared statement's execute: the
     * backend's rows, and {@link ShowVariables#probe} with the same parameters when a WHERE condition decides.
     *
     * @param parameters the values of the statement's placeholders (only a prepared WHERE condition has any)
     * @param binary     whether the rows go in the binary protocol (COM_STMT_EXECUTE)
     */
    void variables(ShowVariables show, String sql, List<?> parameters, Responder responder, boolean binary)
            throws ClientGoneException {
        long limit = session.maxAllowedPacket();
        BackendConnection backend = backends.pinnedFor(new NodeStatement(new DataNode(null, defaultGroup()), sql,
                List.of()), responder);
        if (backend == null) {
            return;
        }
        backends.onBackend(backend, responder, () -> {
            List<String> columns = new ArrayList<>();
            List<List<String>> rows = readText(backend, sql, parameters, columns);
            boolean listed = show.where() == null ? ShowVariables.lists(rows)
                    : !readText(backend, show.probe(limit), parameters, new ArrayList<>()).isEmpty();
            List<List<String>> answer = ShowVariables.withSessionAutocommit(ShowVariables.withProxyLimit(rows, limit, listed),
                    (session.statusFlags() & MySQLStatusFlag.SERVER_STATUS_AUTOCOMMIT.value()) != 0);
            int status = session.statusFlags();
            if (binary) {
                responder.binaryRows(columns, answer, status);
            } else {
                responder.rows(columns, answer, status);
            }
        }, () -> { });
    }

    /** A small result of {@code sql} on the backend, read whole as text (see {@link TextRows#read}). */
    private List<List<String>> readText(BackendConnection backend, String sql, List<?> parameters,
                                        List<String> columns) throws SQLException {
        BackendStatement statement = BackendStatement.open(backend, sql, parameters);
        try {
            backends.running(backend, statement.jdbc());
            statement.execute();
            return TextRows.read(statement.resultSet(), columns);
        } finally {
            statement.closeQuietly();
        }
    }

    /** Table metadata with logical names ({@link LogicalMetadata}): relayed, or read, renamed and answered. */
    private boolean metadata(String sql, Responder responder) throws ClientGoneException {
        MetadataAnswer answer = metadata.answer(sql, session.schema(), user).orElse(null);
        if (answer == null) {
            return false;
        }
        switch (answer) {
            case MetadataAnswer.Relay relay -> executor.relay(relay.statement(), responder);
            case MetadataAnswer.Refused refused -> refused.error().sendTo(responder);
            case MetadataAnswer.Renamed renamed -> {
                List<String> columns = new ArrayList<>();
                List<List<String>> rows = new ArrayList<>();
                Field[][] fields = {null};
                int[] status = {session.statusFlags()};
                for (int i = 0; i < renamed.statements().size(); i++) {
                    NodeStatement node = renamed.statements().get(i);
                    BackendConnection backend = backends.pinnedFor(node, responder);
                    boolean[] done = {false};
                    int index = i;
                    if (backend != null) {
                        backends.runText(backend, node.sql(), List.of(), responder, statement -> {
                            fields[0] = BackendStatement.fieldsOf(statement.resultSet());
                            List<List<String>> read = TextRows.read(statement.resultSet(), columns);
                            rows.addAll(renamed.renamer().rename(index, columns, read));
                            status[0] = session.statusFlags();
                            done[0] = true;
                        });
                    }
                    if (!done[0]) {
                        return true;
                    }
                }
                responder.rows(fields[0], rows, status[0]);
            }
        }
        return true;
    }

    /** A query of information_schema tables that name tables, run through their logical view; false if it is none. */
    private boolean informationSchema(String sql, Responder responder) throws ClientGoneException {
        if (!InformationSchemaView.mayRead(sql)) {
            return false;
        }
        String group = defaultGroup();
        BackendConnection backend = backends.pinnedFor(new NodeStatement(new DataNode(null, group), sql, List.of()), responder);
        if (backend == null) {
            return true;
        }
        Optional<String> rewritten;
        try {
            rewritten = informationSchema.rewrite(sql, session.schema(), visibleSchemas(), group, backend.jdbc());
        } catch (SQLException e) {
            SessionError.of(MySQLErrorCode.ER_UNKNOWN_ERROR, "reading information_schema's columns: " + e.getMessage())
                    .sendTo(responder);
            return true;
        }
        if (rewritten.isEmpty()) {
            return false;
        }
        executor.relay(new NodeStatement(new DataNode(null, group), rewritten.get(), List.of()), responder);
        return true;
    }

    /** The group for statements about no table: the current schema's default group, else the first group. */
    private String defaultGroup() {
        String schema = session.schema();
        return schema != null ? config.schema(schema).orElseThrow().defaultShardGroup()
                : config.shardGroups().getFirst().name();
    }

    /** The charset the client's statements are in since its last SET NAMES, or empty for the handshake's. */
    Optional<Charset> clientCharset() {
        return Optional.ofNullable(clientCharset);
    }

    /**
     * The charset the session's results are sent in since its last SET NAMES or {@code character_set_results}, else
     * {@code handshake}'s; empty: unconverted.
     */
    Optional<ResultsCharset> resultsCharset(ResultsCharset handshake) {
        return resultsCharset != null ? resultsCharset : Optional.of(handshake);
    }

    /** The session starts afresh: the client's statements and its results are in its handshake's charset again. */
    void forgetCharsets() {
        clientCharset = null;
        resultsCharset = null;
    }

    /**
     * SET NAMES and the character set variables ({@link CharsetStatement}): the client's charset is the proxy's to
     * read statements in; the connection and results settings are replayed on every backend connection, as
     * session SETs are. A client charset the proxy cannot read is refused with 1235.
     */
    /** SHOW GRANTS, PROCESSLIST and DATABASES LIKE of a user without admin: its own ({@link AccountViews}). */
    private boolean accountView(String sql, Responder responder) throws ClientGoneException {
        if (user.admin()) {
            return false;
        }
        String code = SqlComments.asCode(sql);
        Optional<AccountViews.Answer> answer = AccountViews.grants(code, user, session.clientHost())
                .or(() -> AccountViews.processlist(code, sql, session.id(), user, sessions.all()))
                .or(() -> AccountViews.databases(code, visibleSchemas()));
        if (answer.isEmpty()) {
            return false;
        }
        if (answer.get().error() != null) {
            answer.get().error().sendTo(responder);
        } else {
            responder.rows(answer.get().columns(), answer.get().rows(), session.statusFlags());
        }
        return true;
    }

    /** A character set variable assigned another variable, as a dump's restore does ({@code = @saved_cs_client}). */
    private static final Pattern CHARSET_FROM_VARIABLE = Pattern.compile("(?i)(character_set_client|character_set_connection"
            + "|character_set_results|collation_connection)(\\s*:?=\\s*)(@@?[A-Za-z0-9_$.]+)");

    /**
     * {@code sql} with each character set variable that is assigned a variable's value assigned that value instead,
     * read from a backend connection of the session (its user variables are on each); {@code sql} itself when there is
     * none, or null after answering a backend's error.
     */
    private String withVariableValues(String sql, Responder responder) throws ClientGoneException {
        Matcher assignment = CHARSET_FROM_VARIABLE.matcher(sql);
        if (!assignment.find()) {
            return sql;
        }
        BackendConnection backend = backends.pinnedFor(new NodeStatement(new DataNode(null, defaultGroup()), sql,
                List.of()), responder);
        if (backend == null) {
            return null;
        }
        String[] resolved = {null};
        backends.onBackend(backend, responder, () -> {
            StringBuilder text = new StringBuilder();
            assignment.reset();
            while (assignment.find()) {
                String value = readText(backend, "SELECT " + assignment.group(3), List.of(), new ArrayList<>())
                        .getFirst().getFirst();
                assignment.appendReplacement(text, Matcher.quoteReplacement(assignment.group(1) + assignment.group(2)
                        + (value == null ? "NULL" : "'" + value.replace("'", "''") + "'")));
            }
            assignment.appendTail(text);
            resolved[0] = text.toString();
        }, () -> { });
        return resolved[0];
    }

    private boolean charsets(String text, Responder responder) throws ClientGoneException {
        String sql = withVariableValues(text, responder);
        if (sql == null) {
            return true;
        }
        Optional<CharsetStatement> statement;
        try {
            statement = CharsetStatement.parse(sql);
        } catch (CharsetStatement.Refused e) {
            SessionError.of(MySQLErrorCode.ER_NOT_SUPPORTED_YET, e.getMessage()).sendTo(responder);
            return true;
        }
        if (statement.isEmpty()) {
            return false;
        }
        if (runCharsets(statement.get(), responder)) {
            responder.ok(0, 0, session.statusFlags());
        }
        return true;
    }

    /**
     * Applies a {@link CharsetStatement} without answering OK.
     *
     * @return whether it was applied; if not, the client got the error
     */
    private boolean runCharsets(CharsetStatement statement, Responder responder) throws ClientGoneException {
        if (statement.backendSql() != null && !runEverywhere(statement.backendSql(), responder)) {
            return false;
        }
        clientCharset = statement.clientCharsetDefault() ? null : statement.clientCharset().orElse(clientCharset);
        if (statement.results() != null) {
            resultsCharset = statement.results().equals("default") ? null : ResultsCharset.named(statement.results());
        }
        return true;
    }

    /**
     * Runs the other assignments of a SET that also sets autocommit as a SET of their own would run (character sets,
     * session transaction characteristics, replayed session SETs), without answering OK.
     *
     * @return whether they ran; if not, the client got the error
     */
    private boolean runAlongAutocommit(String others, Responder responder) throws ClientGoneException {
        try {
            Optional<CharsetStatement> charsets = CharsetStatement.parse(others);
            if (charsets.isPresent()) {
                return runCharsets(charsets.get(), responder);
            }
        } catch (CharsetStatement.Refused e) {
            SessionError.of(MySQLErrorCode.ER_NOT_SUPPORTED_YET, e.getMessage()).sendTo(responder);
            return false;
        }
        boolean characteristics = TransactionStatement.parse(others).map(TransactionStatement::kind)
                .filter(kind -> kind == TransactionStatement.Kind.SESSION_CHARACTERISTICS).isPresent();
        if (characteristics || isReplayableSet(others)) {
            return runEverywhere(others, responder);
        }
        SessionError.of(MySQLErrorCode.ER_NOT_SUPPORTED_YET, "a SET of autocommit together with assignments that are"
                + " not session SETs (" + others + "): set autocommit in a statement of its own").sendTo(responder);
        return false;
    }

    /** Whether the statement sets the connection's character sets (refused or not). */
    private static boolean isCharsetStatement(String sql) {
        try {
            return CharsetStatement.parse(sql).isPresent();
        } catch (CharsetStatement.Refused e) {
            return true;
        }
    }

    private boolean replayableSet(String sql, Responder responder) throws ClientGoneException {
        if (!isReplayableSet(sql)) {
            return false;
        }
        setEverywhere(sql, responder);
        return true;
    }

    /**
     * Whether the statement sets session state that every backend connection of the session must
     * share: {@code SET [SESSION] var = ...} and user variables, naming no table. SET NAMES and the
     * character set variables are {@link CharsetStatement}s, handled before.
     */
    private boolean isReplayableSet(String sql) {
        Optional<net.sf.jsqlparser.statement.Statement> parsed = statementParser.parse(sql);
        if (parsed.isEmpty() || !(parsed.get() instanceof SetStatement)) {
            return false;
        }
        String normalized = sql.trim().toUpperCase(Locale.ROOT);
        return !normalized.startsWith("SET NAMES") && !normalized.startsWith("SET CHARACTER SET")
                && !normalized.contains("TRANSACTION") && tableFinder.find(parsed.get()).isEmpty();
    }

    /**
     * Runs a session SET everywhere ({@link #runEverywhere}) and answers OK.
     *
     * @return whether it ran everywhere (and the client got OK); if not, the client got the error
     */
    private boolean setEverywhere(String sql, Responder responder) throws ClientGoneException {
        if (!runEverywhere(sql, responder)) {
            return false;
        }
        responder.ok(0, 0, session.statusFlags());
        return true;
    }

    /**
     * Runs a session SET on the connection of the schema's default group, then on every other connection the session
     * holds, and remembers it for connections it opens later, up to {@value SessionBackends#MAX_SESSION_SETS}
     * statements kept ({@link SessionSets}).
     *
     * @return whether it ran everywhere; if not, the client got the error
     */
    private boolean runEverywhere(String sql, Responder responder) throws ClientGoneException {
        SessionSets sets = backends.setsWith(sql);
        if (sets.size() > SessionBackends.MAX_SESSION_SETS) {
            SessionError.of(MySQLErrorCode.ER_NOT_SUPPORTED_YET, "more than " + SessionBackends.MAX_SESSION_SETS
                    + " session SET statements kept in one session (a SET of constants replaces an earlier SET of the same"
                    + " variables; others add up)").sendTo(responder);
            return false;
        }
        String schema = session.schema();
        String group = schema == null ? config.shardGroups().getFirst().name()
                : config.schema(schema).map(SchemaConfig::defaultShardGroup).orElse(config.shardGroups().getFirst().name());
        BackendConnection first = backends.pinnedFor(new NodeStatement(new DataNode(null, group), sql, List.of()), responder);
        if (first == null || !backends.runQuietly(first, sql, responder)) {
            return false;
        }
        for (BackendConnection other : backends.pinnedConnections()) {
            if (other != first && !backends.runQuietly(other, sql, responder)) {
                return false;
            }
        }
        backends.remember(sets);
        return true;
    }

    /** LAST_INSERT_ID() where the last INSERT's id lives: a key the proxy generated, or one group's AUTO_INCREMENT. */
    private boolean lastInsertId(String sql, Responder responder) throws ClientGoneException {
        if (!asksLastInsertId(sql)) {
            return false;
        }
        Long generated = lastInsertId.generatedKey();
        if (generated != null) {
            responder.rows(List.of("LAST_INSERT_ID()"), List.of(List.of(Long.toString(generated))), session.statusFlags());
        } else {
            executor.relay(new NodeStatement(new DataNode(null, lastInsertId.group()), sql, List.of()), responder);
        }
        return true;
    }

    private List<String> visibleSchemas() {
        return config.schemas().stream().map(SchemaConfig::name).filter(user::maySee).toList();
    }
}
