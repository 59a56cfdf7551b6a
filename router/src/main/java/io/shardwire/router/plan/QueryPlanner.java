package io.shardwire.router.plan;

import static io.shardwire.router.parse.Identifiers.unquote;

import io.shardwire.config.ShardwireConfig;
import io.shardwire.router.keygen.KeyGenerator;
import io.shardwire.router.keygen.SnowflakeKeyGenerator;
import io.shardwire.router.parse.ResultColumnNames;
import io.shardwire.router.parse.SqlStatementParser;
import io.shardwire.router.parse.TableReference;
import io.shardwire.router.parse.TableReferenceFinder;
import io.shardwire.router.parse.WriteFreeSelects;
import io.shardwire.router.rewrite.PhysicalSqlWriter;
import io.shardwire.router.rewrite.SelectRewriter;
import io.shardwire.router.rewrite.StatementText;
import io.shardwire.router.route.ExecutionUnit;
import io.shardwire.router.route.Route;
import io.shardwire.router.route.RouteException;
import io.shardwire.router.route.RoutingAnalysis;
import io.shardwire.router.route.ScopeAnalyzer;
import io.shardwire.router.route.SqlLiterals;
import io.shardwire.router.route.StatementRefusedException;
import io.shardwire.router.route.StatementRefusedException.Construct;
import io.shardwire.router.route.StatementRouter;
import io.shardwire.router.route.ValueSource;
import io.shardwire.router.rule.DataNode;
import io.shardwire.router.rule.ShardedTableRule;
import io.shardwire.router.rule.ShardingRules;
import io.shardwire.router.rule.TableRule;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * Plans statements against the sharding rules: {@link #plan} once per statement text, then
 * {@link PreparedPlan#bind} per execution. Statements other than SELECT, INSERT, UPDATE and DELETE
 * (SET, SHOW, transactions, and SQL JSqlParser cannot parse) pass through to one node as
 * {@link StatementRouter} routes them, provided they name no sharded, broadcast or data-node table;
 * DDL on such tables fans out to every physical table ({@link DdlPlanner}).
 * {@code EXPLAIN SHARDWIRE <statement>} plans the statement and answers with its plan
 * ({@link ExplainRenderer}) instead of running it.
 *
 * <p>Thread-safe and free of I/O.
 */
public final class QueryPlanner {

    private final ShardingRules rules;
    private final KeyGenerator keys;
    private final MergeLimits limits;
    private final StatementRouter router;
    private final DdlPlanner ddl;
    private final SqlStatementParser parser = new SqlStatementParser();
    /** Null when the configuration keeps no text plans. */
    private final TextPlanCache textPlans;

    /**
     * A planner with the configuration's router settings: its memory merge caps, and a snowflake
     * key generator with its worker id on the system clock.
     */
    public QueryPlanner(ShardwireConfig config) {
        this(config, new SnowflakeKeyGenerator(config.router().workerId(), Clock.systemUTC()),
                new MergeLimits(config.router().maxMemoryMergeRows(), config.router().maxMemoryMergeBytes()));
    }

    /**
     * @param config the configuration, whose sharding rules are read once
     * @param keys   the generator for key columns INSERTs leave out
     * @param limits the caps on memory merges
     */
    public QueryPlanner(ShardwireConfig config, KeyGenerator keys, MergeLimits limits) {
        this.rules = new ShardingRules(config);
        this.keys = keys;
        this.limits = limits;
        this.router = new StatementRouter(config);
        this.ddl = new DdlPlanner(rules);
        int textPlanCacheSize = config.router().textPlanCacheSize();
        this.textPlans = textPlanCacheSize == 0 ? null : new TextPlanCache(this::plan, textPlanCacheSize);
    }

    /** The sharding rules the planner routes by. */
    public ShardingRules rules() {
        return rules;
    }

    /**
     * Plans one statement.
     *
     * @param sql           the statement as the client sent it, {@code ?} for parameters of a prepared statement
     * @param currentSchema the session's logical schema, or null
     * @throws RouteException            if it names an unknown schema, or a table while no schema is selected
     * @throws StatementRefusedException if it cannot be answered exactly whatever its parameters
     */
    public PreparedPlan plan(String sql, String currentSchema) throws RouteException, StatementRefusedException {
        Optional<String> explained = ExplainRenderer.explained(sql);
        if (explained.isPresent()) {
            return plan(explained.get(), currentSchema).then(sql, (plan, parameters) -> new ExecutionPlan(sql,
                    ExecutionPlan.Kind.LOCAL, new LocalAnswer(ExplainRenderer.render(plan)), List.of(), List.of(),
                    parameters));
        }
        Matcher explainSelect = EXPLAIN_SELECT.matcher(sql);
        if (explainSelect.lookingAt()) {
            return explain(sql, explainSelect.group(1), sql.substring(explainSelect.end()), currentSchema);
        }
        Matcher sharedLock = SHARED_LOCK.matcher(sql);
        if (sharedLock.matches()) {
            return lockingInShareMode(sql, sharedLock.group(1), currentSchema);
        }
        Optional<Statement> parsed = parser.parse(sql);
        if (parsed.isEmpty()) {
            refuseUnparsedOnSpreadTables(sql, currentSchema);
            return passThrough(sql, currentSchema, placeholders(sql));
        }
        Statement statement = parsed.get();
        return switch (statement) {
            case Select select -> select(sql, select, currentSchema);
            case Update update -> update(sql, update, currentSchema);
            case Delete delete -> returningFromOneNode(delete.getReturningClause() != null, delete(sql, delete, currentSchema));
            case Insert insert -> returningFromOneNode(insert.getReturningClause() != null, insert(sql, insert, currentSchema));
            default -> other(sql, statement, currentSchema);
        };
    }

    /**
     * Plans and binds a text-protocol statement (no {@code ?}s): {@code plan(sql, currentSchema).bind()}, from a kept
     * plan of its shape when there is one ({@link TextPlanCache}).
     *
     * @throws RouteException            as {@link #plan}
     * @throws StatementRefusedException as {@link #plan} and {@link PreparedPlan#bind}
     */
    public ExecutionPlan planText(String sql, String currentSchema) throws RouteException, StatementRefusedException {
        return textPlans == null ? plan(sql, currentSchema).bind() : textPlans.plan(sql, currentSchema);
    }

    /**
     * {@link #planText} of a statement whose shape has a kept plan, bound to its values; empty, without planning, when
     * there is none (or the values are refused): the caller plans it with {@link #planText}.
     */
    public Optional<ExecutionPlan> keptPlan(String sql, String currentSchema) {
        return textPlans == null ? Optional.empty() : textPlans.kept(sql, currentSchema);
    }

    private PreparedPlan select(String sql, Select select, String currentSchema)
            throws RouteException, StatementRefusedException {
        ScopeAnalyzer.Analysis analysis = ScopeAnalyzer.analyze(select, rules, currentSchema);
        ResultColumnNames.alias(select, sql);
        PhysicalSqlWriter asWritten = new PhysicalSqlWriter(select, currentSchema);
        // The rewrite works on its own copy of the AST (a single node still gets the statement as
        // written), made only when an execution needs several nodes: most statements never do.
        ScatterRewrite.Source scatter = () -> {
            Statement copy = parser.parse(sql).orElseThrow();
            ResultColumnNames.alias(copy, sql);
            PlainSelect plain = plainSelect(copy);
            if (plain == null) {
                return new ScatterRewrite(null, null, new StatementRefusedException(Construct.CROSS_NODE_SET_OPERATION,
                        analysis.tableNames(), "UNION, INTERSECT, EXCEPT, VALUES or a parenthesised query with its own"
                                + " ORDER BY or LIMIT over several data nodes is not supported"));
            }
            try {
                return new ScatterRewrite(SelectRewriter.rewrite(plain), new PhysicalSqlWriter(copy, currentSchema), null);
            } catch (StatementRefusedException e) {
                return new ScatterRewrite(null, null, new StatementRefusedException(e.construct(), analysis.tableNames(), e.getMessage()));
            }
        };
        return new PreparedPlan(sql, parameterCount(asWritten),
                new SelectBinder(sql, analysis.routing(), asWritten, scatter, limits, WriteFreeSelects.provable(select)));
    }

    /** The query block to rewrite: the statement's own, also inside parentheses that add no ORDER BY or LIMIT of their own. */
    private static PlainSelect plainSelect(Statement statement) {
        return switch (statement) {
            case PlainSelect plain -> plain;
            case ParenthesedSelect parenthesed when parenthesed.getOrderByElements() == null && parenthesed.getLimit() == null
                    && parenthesed.getOffset() == null && parenthesed.getFetch() == null -> plainSelect(parenthesed.getSelect());
            default -> null;
        };
    }

    private PreparedPlan update(String sql, Update update, String currentSchema)
            throws RouteException, StatementRefusedException {
        ScopeAnalyzer.Analysis analysis = ScopeAnalyzer.analyze(update, rules, currentSchema);
        String limitedBy = update.getLimit() != null ? "LIMIT" : update.getOrderByElements() != null ? "ORDER BY" : null;
        PhysicalSqlWriter writer = new PhysicalSqlWriter(update, currentSchema);
        return new PreparedPlan(sql, parameterCount(writer), new WriteBinder(sql, analysis.routing(), writer, limitedBy));
    }

    private PreparedPlan delete(String sql, Delete delete, String currentSchema)
            throws RouteException, StatementRefusedException {
        ScopeAnalyzer.Analysis analysis = ScopeAnalyzer.analyze(delete, rules, currentSchema);
        String limitedBy = delete.getLimit() != null ? "LIMIT" : delete.getOrderByElements() != null ? "ORDER BY" : null;
        PhysicalSqlWriter writer = new PhysicalSqlWriter(delete, currentSchema);
        return new PreparedPlan(sql, parameterCount(writer), new WriteBinder(sql, analysis.routing(), writer, limitedBy));
    }

    private PreparedPlan insert(String sql, Insert insert, String currentSchema)
            throws RouteException, StatementRefusedException {
        ScopeAnalyzer.Analysis analysis = ScopeAnalyzer.analyze(insert, rules, currentSchema);
        TableRule target = analysis.writeTarget().orElseThrow().rule();
        if (!(target instanceof ShardedTableRule sharded)) {
            PhysicalSqlWriter writer = new PhysicalSqlWriter(insert, currentSchema);
            return new PreparedPlan(sql, parameterCount(writer), new WriteBinder(sql, analysis.routing(), writer, null));
        }
        TableReference table = analysis.writeTarget().get().name();
        List<String> names = List.of(table.toString());
        if (analysis.occurrences() > 1 || !(insert.getSelect() instanceof Values || insert.getSetUpdateSets() != null)) {
            throw new StatementRefusedException(Construct.UNSUPPORTED_STATEMENT, analysis.tableNames(),
                    "INSERT into sharded table " + table + " from a SELECT or subquery is not supported");
        }
        if (insert.getSetUpdateSets() != null) {
            return insertSet(sql, insert, currentSchema, table, sharded);
        }
        if (insert.getColumns() == null || insert.getColumns().isEmpty()) {
            throw new StatementRefusedException(Construct.MISSING_SHARD_KEY, names, "INSERT into sharded table " + table
                    + " needs a column list naming its shard key " + sharded.shardKey());
        }
        List<String> columns = insert.getColumns().stream().map(c -> unquote(c.getColumnName())).toList();
        int keyIndex = indexOf(columns, sharded.shardKey());
        Optional<String> generatedColumn = sharded.keyColumn().filter(k -> indexOf(columns, k) < 0);
        boolean keyIsGenerated = keyIndex < 0 && generatedColumn.map(sharded::isShardKey).orElse(false);
        if (keyIndex < 0 && !keyIsGenerated) {
            throw new StatementRefusedException(Construct.MISSING_SHARD_KEY, names, "INSERT into sharded table " + table
                    + " must give its shard key column " + sharded.shardKey());
        }
        Values values = (Values) insert.getSelect();
        List<List<Expression>> rows = rows(values.getExpressions());
        List<ValueSource> rowKeys = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<Expression> row = rows.get(r);
            if (row.size() != columns.size()) {
                // MySQL reports the column count mismatch itself; any one node will do, with any row.
                rowKeys.add(new ValueSource.Literal(null));
                continue;
            }
            if (keyIsGenerated) {
                rowKeys.add(null);
                continue;
            }
            Expression key = row.get(keyIndex);
            int rowNumber = r + 1;
            rowKeys.add(SqlLiterals.valueOf(key).orElseThrow(() -> new StatementRefusedException(
                    Construct.UNPLACEABLE_SHARD_KEY, names, "shard key " + sharded.shardKey() + " of " + table + " in row "
                    + rowNumber + " is " + key + ", not a literal or parameter the router can place")));
        }
        generatedColumn.ifPresent(column -> insert.getColumns().add(new Column(column)));
        PhysicalSqlWriter writer = new PhysicalSqlWriter(insert, currentSchema);
        return new PreparedPlan(sql, parameterCount(writer), new InsertBinder(sql, table, sharded, writer, values, rows,
                rowKeys, generatedColumn.isPresent(), keyIsGenerated, keys));
    }

    /** {@code INSERT ... SET}: one row, whose shard key must be given. */
    private PreparedPlan insertSet(String sql, Insert insert, String currentSchema, TableReference table,
                                   ShardedTableRule sharded) throws StatementRefusedException {
        for (UpdateSet set : insert.getSetUpdateSets()) {
            for (int i = 0; i < set.getColumns().size(); i++) {
                if (sharded.isShardKey(unquote(set.getColumns().get(i).getColumnName()))) {
                    Expression value = set.getValues().get(i);
                    ValueSource key = SqlLiterals.valueOf(value).orElseThrow(() -> new StatementRefusedException(
                            Construct.UNPLACEABLE_SHARD_KEY, List.of(table.toString()), "shard key " + sharded.shardKey()
                            + " of " + table + " is " + value + ", not a literal or parameter the router can place"));
                    PhysicalSqlWriter writer = new PhysicalSqlWriter(insert, currentSchema);
                    return new PreparedPlan(sql, parameterCount(writer), parameters -> {
                        Object resolved = key.resolve(parameters);
                        var bucket = sharded.algorithm().bucketOf(resolved);
                        if (bucket.isEmpty()) {
                            throw new StatementRefusedException(Construct.UNPLACEABLE_SHARD_KEY, List.of(table.toString()),
                                    "value " + resolved + " of shard key " + sharded.shardKey() + " of " + table
                                            + " cannot be placed: the table's algorithm takes " + sharded.algorithm().accepts());
                        }
                        var slice = sharded.slices().get(sharded.bucketMap().nodeOf(bucket.getAsInt()));
                        NodeStatement statement = statement(slice.node(), writer.write(Map.of(table, slice)), parameters);
                        return new ExecutionPlan(sql, ExecutionPlan.Kind.WRITE,
                                new NodeRoute(NodeRoute.Variant.BY_ROW_KEY, List.of(statement), List.of()),
                                List.of(statement), List.of(), parameters);
                    });
                }
            }
        }
        throw new StatementRefusedException(Construct.MISSING_SHARD_KEY, List.of(table.toString()),
                "INSERT into sharded table " + table + " must give its shard key column " + sharded.shardKey());
    }

    private static List<List<Expression>> rows(ExpressionList<?> expressions) {
        List<List<Expression>> rows = new ArrayList<>();
        // One row is its values in parentheses; several rows are a list of parenthesised rows.
        if (expressions instanceof ParenthesedExpressionList<?> single) {
            rows.add(new ArrayList<>(single));
            return rows;
        }
        for (Expression row : expressions) {
            rows.add(row instanceof ParenthesedExpressionList<?> values ? new ArrayList<>(values) : new ArrayList<>(List.of(row)));
        }
        return rows;
    }

    private static int indexOf(List<String> columns, String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Any other statement: DDL on spread tables fans out to their physical tables; the rest goes to
     * one node as the statement router routes it, if it names only whole tables.
     */
    private PreparedPlan other(String sql, Statement statement, String currentSchema)
            throws RouteException, StatementRefusedException {
        Optional<PreparedPlan> fanOut = ddl.plan(sql, statement, currentSchema);
        if (fanOut.isPresent()) {
            return fanOut.get();
        }
        for (TableReference table : new TableReferenceFinder().find(statement)) {
            String schema = table.qualifier().orElse(currentSchema);
            if (schema == null || rules.schema(schema).isEmpty()) {
                continue;
            }
            TableRule rule = rules.rule(schema, table.table());
            if (!DdlPlanner.isWhole(rule)) {
                throw new StatementRefusedException(Construct.UNSUPPORTED_STATEMENT, List.of(rule.qualifiedName()),
                        DdlPlanner.statementName(statement) + " on " + DdlPlanner.kind(rule) + " table " + rule.qualifiedName()
                                + " is not supported");
            }
        }
        return passThrough(sql, currentSchema, placeholders(sql));
    }

    /**
     * INSERT or DELETE ... RETURNING: the rows come back from one data node as it sends them; over several, or to every
     * copy of a broadcast table, the proxy would have to merge each node's result set into the one client result (and
     * answered with an OK instead, without the rows): refused.
     */
    private static PreparedPlan returningFromOneNode(boolean returning, PreparedPlan planned) {
        if (!returning) {
            return planned;
        }
        return planned.then(planned.sql(), (plan, parameters) -> {
            if (plan.statements().size() > 1) {
                throw new StatementRefusedException(Construct.UNSUPPORTED_STATEMENT, List.of(),
                        "RETURNING over " + plan.statements().size() + " data nodes is not supported (the rows of a"
                                + " write to one data node come back)");
            }
            return plan;
        });
    }

    /** A SELECT ending in MariaDB's LOCK IN SHARE MODE, which JSqlParser does not read: the SELECT before it. */
    private static final Pattern SHARED_LOCK = Pattern.compile(
            "(?is)(\\s*(?:SELECT|WITH|\\().*?)\\s+LOCK\\s+IN\\s+SHARE\\s+MODE\\s*;?\\s*");

    /**
     * A SELECT ... LOCK IN SHARE MODE (Knex's forShare, Sequel's for_share, SQLAlchemy's with_for_update(read=True)):
     * the SELECT planned as it is, each node's statement taking the shared locks on its rows.
     */
    private PreparedPlan lockingInShareMode(String sql, String select, String currentSchema)
            throws RouteException, StatementRefusedException {
        return plan(select, currentSchema).then(sql, (plan, parameters) -> {
            if (plan.kind() != ExecutionPlan.Kind.QUERY) {
                return plan;
            }
            UnaryOperator<NodeStatement> locking =
                    node -> new NodeStatement(node.node(), node.sql() + " LOCK IN SHARE MODE", node.parameters());
            return new ExecutionPlan(sql, plan.kind(), PlanNode.withStatements(plan.root(), locking),
                    plan.statements().stream().map(locking).toList(), plan.generatedKeys(), parameters, false);
        });
    }

    /** EXPLAIN, DESCRIBE or ANALYZE of a SELECT, with the server's options: the prefix, then the SELECT. */
    private static final Pattern EXPLAIN_SELECT = Pattern.compile("(?is)\\s*((?:EXPLAIN|DESCRIBE|DESC|ANALYZE)"
            + "(?:\\s+(?:EXTENDED|PARTITIONS|FORMAT\\s*=\\s*\\w+))?\\s+)(?=(?:SELECT|WITH)\\b|\\()");

    /**
     * EXPLAIN of a SELECT (ORMs' {@code .explain}): the server's plan of the one data node statement the SELECT routes
     * to, with the physical names that node reads. A SELECT over several nodes has a plan per node plus the proxy's
     * merge: refused, pointing at EXPLAIN SHARDWIRE.
     */
    private PreparedPlan explain(String sql, String prefix, String select, String currentSchema)
            throws RouteException, StatementRefusedException {
        return plan(select, currentSchema).then(sql, (plan, parameters) -> {
            if (plan.statements().size() != 1) {
                throw new StatementRefusedException(Construct.UNSUPPORTED_STATEMENT, List.of(),
                        "EXPLAIN of a SELECT over " + plan.statements().size() + " data nodes is not supported (EXPLAIN"
                                + " SHARDWIRE shows each node's statement; EXPLAIN one of those on its node)");
            }
            NodeStatement node = plan.statements().getFirst();
            NodeStatement explained = new NodeStatement(node.node(), prefix + node.sql(), node.parameters());
            return new ExecutionPlan(sql, ExecutionPlan.Kind.PASS_THROUGH,
                    new NodeRoute(NodeRoute.Variant.PASS_THROUGH, List.of(explained), List.of()),
                    List.of(explained), List.of(), parameters, true);
        });
    }

    /**
     * A statement JSqlParser cannot read goes to the schema's default database as written; one that names a table
     * spread over data nodes would get that backend's "Table doesn't exist" (1146), as if the table were missing. It is
     * refused instead, naming the table: LOCK TABLES (mariadb-dump's default) with the dump options that work, any
     * other with the parser's failure.
     */
    private void refuseUnparsedOnSpreadTables(String sql, String currentSchema) throws StatementRefusedException {
        String code = UnparsedStatement.code(sql);
        Matcher name = UnparsedStatement.NAME.matcher(code);
        while (name.find()) {
            String schema = name.group(1) != null ? unquote(name.group(1)) : currentSchema;
            if (schema == null || rules.schema(schema).isEmpty()) {
                continue;
            }
            TableRule rule = rules.rule(schema, unquote(name.group(2)));
            if (DdlPlanner.isWhole(rule)) {
                continue;
            }
            String table = DdlPlanner.kind(rule) + " table " + rule.qualifiedName();
            if (UnparsedStatement.LOCK_TABLES.matcher(code).lookingAt()) {
                throw new StatementRefusedException(Construct.UNSUPPORTED_STATEMENT, List.of(rule.qualifiedName()),
                        "LOCK TABLES on " + table + " is not supported (mariadb-dump: --single-transaction or"
                                + " --skip-lock-tables; to restore a dump: --skip-add-locks)");
            }
            throw new StatementRefusedException(Construct.UNREADABLE_STATEMENT, List.of(rule.qualifiedName()),
                    "You have an error in your SQL syntax, or syntax Shardwire's SQL parser does not read; the"
                            + " statement names " + table + ", which only its data nodes hold, so it cannot run on one"
                            + " backend unread (see docs/sql-support.md)");
        }
    }

    private PreparedPlan passThrough(String sql, String currentSchema, int parameterCount) throws RouteException {
        Route route = router.route(sql, currentSchema);
        return switch (route) {
            case Route.UseSchema use -> local(sql, use);
            case Route.ShowSchemas show -> local(sql, show);
            case Route.ToShardGroup target -> {
                String database = target.schemas().size() == 1 ? target.schemas().iterator().next() : currentSchema;
                DataNode node = new DataNode(database, target.shardGroup());
                yield new PreparedPlan(sql, parameterCount, parameters -> {
                    NodeStatement statement = new NodeStatement(node, sql, parameters);
                    return new ExecutionPlan(sql, ExecutionPlan.Kind.PASS_THROUGH,
                            new NodeRoute(NodeRoute.Variant.PASS_THROUGH, List.of(statement), List.of()),
                            List.of(statement), List.of(), parameters);
                });
            }
        };
    }

    private static PreparedPlan local(String sql, Route route) {
        LocalAnswer answer = new LocalAnswer(new LocalAnswer.SchemaAnswer(route));
        return new PreparedPlan(sql, 0,
                parameters -> new ExecutionPlan(sql, ExecutionPlan.Kind.LOCAL, answer, List.of(), List.of(), parameters));
    }

    /** The {@code ?}s of a statement the parser could not read: outside quotes and comments. */
    static int placeholders(String sql) {
        int count = 0;
        for (int i = Placeholders.next(sql, 0); i >= 0; i = Placeholders.next(sql, i + 1)) {
            count++;
        }
        return count;
    }

    private static int parameterCount(PhysicalSqlWriter writer) {
        return writer.write(Map.of()).parameters().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    static NodeStatement statement(ExecutionUnit unit, StatementText text, List<?> parameters) {
        return statement(unit.node(), text, parameters);
    }

    static NodeStatement statement(DataNode node, StatementText text, List<?> parameters) {
        return new NodeStatement(node, text.sql(), text.bind(parameters));
    }

    static NodeRoute.Variant variant(RoutingAnalysis.Spread spread) {
        return switch (spread) {
            case UNSHARDED -> NodeRoute.Variant.UNSHARDED;
            case BY_SHARD_KEY -> NodeRoute.Variant.BY_SHARD_KEY;
            case SCATTER -> NodeRoute.Variant.SCATTER;
            case ALL_COPIES -> NodeRoute.Variant.ALL_COPIES;
        };
    }
}
