package io.shardwire.router.route;

import static io.shardwire.router.parse.Identifiers.unquote;

import io.shardwire.config.SchemaConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.config.TableConfig;
import io.shardwire.config.TablePlacement;
import io.shardwire.router.parse.SqlStatementParser;
import io.shardwire.router.parse.TableReference;
import io.shardwire.router.parse.TableReferenceFinder;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.ShowStatement;
import net.sf.jsqlparser.statement.UseStatement;

/**
 * Decides where a statement runs, from its JSqlParser AST: every table it names is looked up in
 * the configuration and the statement goes to the one shard group holding them all. A statement
 * that names no table goes to the current schema's default group. A statement JSqlParser cannot
 * parse (MariaDB syntax it lacks) goes to the current schema's default group unchanged, where the
 * backend either runs it or answers with its own error.
 *
 * <p>Tables spread over data nodes (sharded, binding, broadcast, or single on a data node) are
 * refused here: they need {@code io.shardwire.router.plan.QueryPlanner}, which rewrites names and merges results.
 *
 * <p>Thread-safe and free of I/O.
 */
public final class StatementRouter {

    /** Schemas every server has; reads of them are answered by the backend that serves the session. */
    static final Set<String> SERVER_SCHEMAS = Set.of("information_schema", "performance_schema");

    private final ShardwireConfig config;
    private final SqlStatementParser parser = new SqlStatementParser();
    private final TableReferenceFinder tableFinder = new TableReferenceFinder();

    public StatementRouter(ShardwireConfig config) {
        this.config = config;
    }

    /**
     * Routes one statement.
     *
     * @param sql           the statement text as the client sent it
     * @param currentSchema the session's logical schema, or null when none is selected
     */
    public Route route(String sql, String currentSchema) throws RouteException {
        Optional<Statement> parsed = parser.parse(sql);
        if (parsed.isEmpty()) {
            return new Route.ToShardGroup(defaultGroup(currentSchema), schemasOf(currentSchema));
        }
        Statement statement = parsed.get();
        if (statement instanceof UseStatement use) {
            return new Route.UseSchema(unquote(use.getName()));
        }
        if (statement instanceof ShowStatement show && isShowSchemas(show)) {
            return new Route.ShowSchemas();
        }
        return routeByTables(tableFinder.find(statement), currentSchema);
    }

    private Route routeByTables(Set<TableReference> tables, String currentSchema) throws RouteException {
        Map<String, String> groupByTable = new LinkedHashMap<>();
        Set<String> schemas = new LinkedHashSet<>();
        for (TableReference table : tables) {
            String schemaName = table.qualifier().orElse(currentSchema);
            if (schemaName != null && SERVER_SCHEMAS.contains(schemaName.toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (schemaName == null) {
                throw new RouteException(RouteException.Kind.NO_SCHEMA_SELECTED, table.table(),
                        "No database selected for table '" + table.table() + "'");
            }
            SchemaConfig schema = config.schema(schemaName).orElseThrow(() -> new RouteException(
                    RouteException.Kind.UNKNOWN_SCHEMA, schemaName, "Unknown database '" + schemaName + "'"));
            schemas.add(schema.name());
            Optional<TableConfig> placed = schema.table(table.table());
            if (placed.isPresent() && !isWhole(placed.get())) {
                throw new RouteException(RouteException.Kind.CROSS_SHARD_GROUP, schema.name() + "." + table.table(),
                        "table " + schema.name() + "." + table.table() + " is " + placed.get().kind().name().toLowerCase(Locale.ROOT)
                                + " over data nodes; statements on it need the sharding planner");
            }
            groupByTable.put(schema.name() + "." + table.table(), schema.shardGroupOf(table.table()));
        }
        Set<String> groups = new LinkedHashSet<>(groupByTable.values());
        if (groups.size() > 1) {
            String placement = groupByTable.entrySet().stream()
                    .map(e -> e.getKey() + " on " + e.getValue())
                    .collect(Collectors.joining(", "));
            throw new RouteException(RouteException.Kind.CROSS_SHARD_GROUP, String.join(", ", groupByTable.keySet()),
                    "statement spans shard groups (" + placement + "); cross-group statements are not supported yet");
        }
        String group = groups.isEmpty() ? defaultGroup(currentSchema) : groups.iterator().next();
        if (schemas.isEmpty()) {
            schemas.addAll(schemasOf(currentSchema));
        }
        return new Route.ToShardGroup(group, schemas);
    }

    /** Whether the table lives where every table lived before data nodes: whole, in the schema's database, under its own name. */
    private static boolean isWhole(TableConfig table) {
        return table.placement() instanceof TablePlacement.Single single && single.dataNode().isEmpty()
                && table.physicalTable().equals(table.name());
    }

    private String defaultGroup(String currentSchema) {
        return Optional.ofNullable(currentSchema)
                .flatMap(config::schema)
                .map(SchemaConfig::defaultShardGroup)
                .orElse(config.shardGroups().getFirst().name());
    }

    private static Set<String> schemasOf(String currentSchema) {
        return currentSchema == null ? Set.of() : Set.of(currentSchema);
    }

    private static boolean isShowSchemas(ShowStatement show) {
        String what = show.getName().trim().toUpperCase(Locale.ROOT);
        return what.equals("DATABASES") || what.equals("SCHEMAS");
    }
}
