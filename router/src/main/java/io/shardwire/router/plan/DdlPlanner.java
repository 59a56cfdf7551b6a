package io.shardwire.router.plan;

import static io.shardwire.router.parse.Identifiers.unquote;

import io.shardwire.config.DataNodeConfig;
import io.shardwire.config.SchemaConfig;
import io.shardwire.router.parse.SqlStatementParser;
import io.shardwire.router.parse.TableReference;
import io.shardwire.router.parse.TableReferenceFinder;
import io.shardwire.router.rewrite.PhysicalSqlWriter;
import io.shardwire.router.rewrite.StatementText;
import io.shardwire.router.route.StatementRefusedException;
import io.shardwire.router.route.StatementRefusedException.Construct;
import io.shardwire.router.rule.BroadcastTableRule;
import io.shardwire.router.rule.DataNode;
import io.shardwire.router.rule.PhysicalTable;
import io.shardwire.router.rule.ShardingRules;
import io.shardwire.router.rule.SingleTableRule;
import io.shardwire.router.rule.TableRule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.AlterOperation;
import net.sf.jsqlparser.statement.create.database.CreateDatabase;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.schema.CreateSchema;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.truncate.Truncate;

/**
 * Fans DDL out to every physical table of a table spread over data nodes: CREATE / ALTER / DROP /
 * TRUNCATE TABLE and CREATE / DROP INDEX on a sharded, binding, broadcast or data-node single table
 * become one statement per physical table, with its physical database and table names, so that
 * every slice or copy keeps the same definition. {@code CREATE DATABASE} of a configured logical
 * schema creates its default database and every data node database.
 *
 * <p>DDL that names a spread table together with another table ({@code LIKE}, {@code AS SELECT},
 * foreign keys, several tables in one DROP), or renames one, is refused: each node would see the
 * other table's name unrewritten, or the rule would no longer name the physical tables.
 */
final class DdlPlanner {

    private final ShardingRules rules;
    private final SqlStatementParser parser = new SqlStatementParser();

    DdlPlanner(ShardingRules rules) {
        this.rules = rules;
    }

    /**
     * The fan-out plan of a DDL statement, or empty if the statement is not DDL this planner takes
     * apart, or names no spread table (it then passes through to one node as any other statement).
     *
     * @throws StatementRefusedException if it is DDL on a spread table that cannot be fanned out exactly
     */
    Optional<PreparedPlan> plan(String sql, Statement statement, String currentSchema) throws StatementRefusedException {
        return switch (statement) {
            case CreateDatabase create -> createDatabase(sql, unquote(create.getDatabaseName()), create.hasIfNotExists());
            case CreateSchema create -> createDatabase(sql, unquote(create.getSchemaName()), create.hasIfNotExists());
            case Drop drop when drop.getType().equalsIgnoreCase("DATABASE") || drop.getType().equalsIgnoreCase("SCHEMA") ->
                    dropDatabase(sql, unquote(drop.getName().getFullyQualifiedName()), drop.isIfExists());
            case Drop drop when drop.getType().equalsIgnoreCase("INDEX") -> dropIndex(sql, drop, currentSchema);
            case Drop drop when drop.getType().equalsIgnoreCase("TABLE") -> tables(sql, drop, currentSchema);
            case CreateTable create -> tables(sql, create, currentSchema);
            case Alter alter -> tables(sql, alter, currentSchema);
            case Truncate truncate -> tables(sql, truncate, currentSchema);
            case CreateIndex create -> tables(sql, create, currentSchema);
            default -> Optional.empty();
        };
    }

    /** CREATE TABLE / ALTER / DROP TABLE / TRUNCATE / CREATE INDEX: the tables JSqlParser finds in it. */
    private Optional<PreparedPlan> tables(String sql, Statement statement, String currentSchema)
            throws StatementRefusedException {
        Optional<Spread> spread = spread(statement, new TableReferenceFinder().find(statement), currentSchema);
        if (spread.isEmpty()) {
            return Optional.empty();
        }
        if (statement instanceof Alter alter && renames(alter)) {
            throw refused(spread.get().rule(), "ALTER TABLE ... RENAME of " + kind(spread.get().rule()) + " table "
                    + spread.get().rule().qualifiedName() + " is not supported: its rule names the physical tables");
        }
        PhysicalSqlWriter writer = new PhysicalSqlWriter(statement, currentSchema);
        List<Placed> placed = new ArrayList<>();
        for (PhysicalTable physical : spread.get().rule().physicalTables()) {
            placed.add(new Placed(physical.node(), writer.write(Map.of(spread.get().logical(), physical))));
        }
        return Optional.of(fanOut(sql, variant(spread.get().rule()), placed));
    }

    /**
     * {@code DROP INDEX i ON t}: JSqlParser keeps the table as text after {@code ON} (and names the
     * index as the statement's table), so the table is read from that text and written back per node.
     */
    private Optional<PreparedPlan> dropIndex(String sql, Drop drop, String currentSchema) {
        List<String> parameters = drop.getParameters();
        if (parameters == null || parameters.size() != 2 || !parameters.getFirst().equalsIgnoreCase("ON")) {
            return Optional.empty();
        }
        Optional<Statement> truncate = parser.parse("TRUNCATE TABLE " + parameters.get(1));
        if (truncate.isEmpty() || !(truncate.get() instanceof Truncate named)) {
            return Optional.empty();
        }
        String qualifier = named.getTable().getSchemaName();
        String schema = qualifier == null ? currentSchema : unquote(qualifier);
        if (schema == null || rules.schema(schema).isEmpty()) {
            return Optional.empty();
        }
        // Whole tables are planned here too: the statement router would take the index name for the table.
        TableRule rule = rules.rule(schema, unquote(named.getTable().getName()));
        List<Placed> placed = new ArrayList<>();
        for (PhysicalTable physical : rule.physicalTables()) {
            drop.setParameters(List.of("ON", quote(physical.node().database()) + "." + quote(physical.table())));
            placed.add(new Placed(physical.node(), new StatementText(drop.toString(), List.of())));
        }
        return Optional.of(fanOut(sql, variant(rule), placed));
    }

    /**
     * The one spread table the statement names, or empty if it names none.
     *
     * @throws StatementRefusedException if it names a spread table and any other table
     */
    private Optional<Spread> spread(Statement statement, Set<TableReference> tables, String currentSchema)
            throws StatementRefusedException {
        List<String> others = new ArrayList<>();
        Spread spread = null;
        for (TableReference table : tables) {
            String schema = table.qualifier().orElse(currentSchema);
            if (schema == null || rules.schema(schema).isEmpty()) {
                others.add(table.toString());
                continue;
            }
            TableRule rule = rules.rule(schema, table.table());
            if (spread == null && !isWhole(rule)) {
                spread = new Spread(new TableReference(schema, table.table()), rule);
            } else {
                others.add(rule.qualifiedName());
            }
        }
        if (spread == null) {
            return Optional.empty();
        }
        if (!others.isEmpty()) {
            List<String> names = new ArrayList<>(List.of(spread.rule().qualifiedName()));
            names.addAll(others);
            throw new StatementRefusedException(Construct.UNSUPPORTED_STATEMENT, names, statementName(statement)
                    + " naming " + kind(spread.rule()) + " table " + spread.rule().qualifiedName() + " together with "
                    + String.join(", ", others) + " is not supported: each data node would see "
                    + (others.size() == 1 ? "that table under its" : "those tables under their") + " logical name");
        }
        return Optional.of(spread);
    }

    /**
     * {@code CREATE DATABASE} of a configured logical schema: its default database, as the client
     * wrote it (so an existing schema still gets MySQL's error), then every other physical
     * database, each if it does not exist yet. Other databases pass through unchanged.
     */
    private Optional<PreparedPlan> createDatabase(String sql, String name, boolean ifNotExists) {
        Optional<SchemaConfig> schema = rules.schema(name);
        if (schema.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(onEveryDatabase(sql, schema.get(), "CREATE DATABASE ", "IF NOT EXISTS ", ifNotExists));
    }

    /**
     * {@code DROP DATABASE} of a configured logical schema: its default database, as the client
     * wrote it (so a missing schema still gets MySQL's error), then every data node database, each
     * if it exists. A data node database named directly is refused: dropping it would lose one
     * slice of every table spread over it.
     */
    private Optional<PreparedPlan> dropDatabase(String sql, String name, boolean ifExists) throws StatementRefusedException {
        for (SchemaConfig schema : rules.config().schemas()) {
            for (DataNodeConfig node : schema.dataNodes()) {
                if (node.name().equalsIgnoreCase(name) && !node.name().equalsIgnoreCase(schema.name())) {
                    throw new StatementRefusedException(StatementRefusedException.Construct.UNSUPPORTED_STATEMENT, List.of(),
                            "DROP DATABASE " + name + ": " + name + " is a data node database of schema " + schema.name()
                                    + "; drop the schema (DROP DATABASE " + schema.name() + ") to drop all of its databases");
                }
            }
        }
        Optional<SchemaConfig> schema = rules.schema(name);
        if (schema.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(onEveryDatabase(sql, schema.get(), "DROP DATABASE ", "IF EXISTS ", ifExists));
    }

    /**
     * {@code statement} (CREATE or DROP DATABASE) on the schema's default database with the guard
     * only if the client wrote it (so MySQL's own error still reaches the client), then on every
     * other database of the schema with the guard. The statements run without a current database,
     * since the database may not exist.
     */
    private PreparedPlan onEveryDatabase(String sql, SchemaConfig schema, String statement, String guard, boolean guarded) {
        Set<DataNode> databases = new LinkedHashSet<>();
        databases.add(rules.defaultNode(schema.name()));
        for (DataNodeConfig node : schema.dataNodes()) {
            databases.add(new DataNode(node.name(), node.shardGroup()));
        }
        List<Placed> placed = new ArrayList<>();
        boolean first = true;
        for (DataNode database : databases) {
            String text = statement + (guarded || !first ? guard : "") + quote(database.database());
            placed.add(new Placed(new DataNode(null, database.shardGroup()), new StatementText(text, List.of())));
            first = false;
        }
        return fanOut(sql, NodeRoute.Variant.ALL_DATABASES, placed);
    }

    private static PreparedPlan fanOut(String sql, NodeRoute.Variant variant, List<Placed> placed) {
        int parameterCount = placed.getFirst().text().parameters().stream().mapToInt(Integer::intValue).max().orElse(0);
        return new PreparedPlan(sql, parameterCount, parameters -> {
            List<NodeStatement> statements = placed.stream()
                    .map(p -> QueryPlanner.statement(p.node(), p.text(), parameters))
                    .toList();
            return new ExecutionPlan(sql, ExecutionPlan.Kind.WRITE, new NodeRoute(variant, statements, List.of()),
                    statements, List.of(), parameters);
        });
    }

    private static boolean renames(Alter alter) {
        return alter.getAlterExpressions() != null && alter.getAlterExpressions().stream()
                .map(AlterExpression::getOperation)
                .anyMatch(operation -> operation == AlterOperation.RENAME_TABLE);
    }

    private static NodeRoute.Variant variant(TableRule rule) {
        return switch (rule) {
            case SingleTableRule single -> NodeRoute.Variant.UNSHARDED;
            case BroadcastTableRule broadcast -> NodeRoute.Variant.ALL_COPIES;
            default -> NodeRoute.Variant.SCATTER;
        };
    }

    private static StatementRefusedException refused(TableRule rule, String message) {
        return new StatementRefusedException(Construct.UNSUPPORTED_STATEMENT, List.of(rule.qualifiedName()), message);
    }

    /** Whether a single table lives where tables lived before sharding: its schema's database, under its own name. */
    static boolean isWhole(TableRule rule) {
        return rule instanceof SingleTableRule single && single.physical().node().database().equals(single.schema())
                && single.physical().table().equals(single.table());
    }

    static String kind(TableRule rule) {
        return rule.getClass().getSimpleName().replace("TableRule", "").toLowerCase(Locale.ROOT);
    }

    /** The statement's first two words ({@code ALTER TABLE}, {@code CREATE INDEX}), for messages. */
    static String statementName(Statement statement) {
        String[] words = statement.toString().strip().split("\\s+", 3);
        return (words.length == 1 ? words[0] : words[0] + " " + words[1]).toUpperCase(Locale.ROOT);
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    /** The one spread table of a DDL statement: as the statement names it (schema resolved), and its rule. */
    private record Spread(TableReference logical, TableRule rule) {
    }

    /** One node's statement of a fan-out. */
    private record Placed(DataNode node, StatementText text) {
    }
}
