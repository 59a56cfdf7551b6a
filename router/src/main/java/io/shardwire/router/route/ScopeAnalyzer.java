package io.shardwire.router.route;

import static io.shardwire.router.parse.Identifiers.unquote;

import io.shardwire.router.parse.TableReference;
import io.shardwire.router.route.StatementRefusedException.Construct;
import io.shardwire.router.rule.DataNode;
import io.shardwire.router.rule.ShardedTableRule;
import io.shardwire.router.rule.ShardingRules;
import io.shardwire.router.rule.TableRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * The routing analysis of a SELECT, INSERT, UPDATE or DELETE: its blocks and tables, which of them
 * it writes, and a {@link RoutingAnalysis} to resolve per execution. Refuses writes that would
 * move a row off its data node (assigning a shard key).
 */
public final class ScopeAnalyzer {

    private ScopeAnalyzer() {
    }

    /**
     * A table a statement writes.
     *
     * @param name the logical table
     * @param rule its placement
     */
    public record TargetTable(TableReference name, TableRule rule) {
    }

    /**
     * The analysis.
     *
     * @param routing     where it may run
     * @param writeTarget the table an INSERT, UPDATE or DELETE writes first (its FROM table), if any
     * @param tableNames  every logical table it names, as {@code schema.table}
     * @param occurrences how many times it names tables (a self-join names one table twice)
     */
    public record Analysis(RoutingAnalysis routing, Optional<TargetTable> writeTarget, List<String> tableNames,
                           int occurrences) {
        public Analysis {
            tableNames = List.copyOf(tableNames);
        }
    }

    /**
     * Analyses a statement.
     *
     * @param currentSchema the session's schema, or null
     * @throws RouteException            on an unknown schema, or a table without a schema
     * @throws StatementRefusedException if it assigns a shard key
     */
    public static Analysis analyze(Statement statement, ShardingRules rules, String currentSchema)
            throws RouteException, StatementRefusedException {
        ScopeCollector.Scopes scopes = new ScopeCollector(rules, currentSchema).collect(statement);
        QueryScope top = scopes.scopes().getFirst();
        Set<TableOccurrence> written = Collections.newSetFromMap(new IdentityHashMap<>());
        switch (statement) {
            case Select select -> {
            }
            case Insert insert -> {
                written.add(top.tables.getFirst());
                if (insert.getDuplicateUpdateSets() != null) {
                    refuseShardKeyAssignment("INSERT ... ON DUPLICATE KEY UPDATE", top, columns(insert.getDuplicateUpdateSets()));
                }
            }
            case Update update -> {
                List<Column> assigned = columns(update.getUpdateSets());
                refuseShardKeyAssignment("UPDATE", top, assigned);
                for (Column column : assigned) {
                    written.addAll(owners(top, column));
                }
            }
            case Delete delete -> {
                if (delete.getTables() == null || delete.getTables().isEmpty()) {
                    written.add(top.tables.getFirst());
                } else {
                    for (Table target : delete.getTables()) {
                        written.addAll(owners(top, new Column(target, "*")));
                    }
                }
            }
            default -> throw new IllegalArgumentException("not a query or DML statement: " + statement.getClass());
        }
        Set<String> names = new LinkedHashSet<>();
        scopes.occurrences().forEach(t -> names.add(t.name().toString()));
        Optional<TargetTable> target = statement instanceof Select || top.tables.isEmpty() ? Optional.empty()
                : Optional.of(new TargetTable(top.tables.getFirst().name(), top.tables.getFirst().rule()));
        String defaultSchema = currentSchema != null && rules.schema(currentSchema).isPresent() ? currentSchema : null;
        DataNode defaultNode = defaultSchema != null ? rules.defaultNode(defaultSchema)
                : new DataNode(null, rules.config().shardGroups().getFirst().name());
        return new Analysis(new RoutingAnalysis(scopes, written, defaultNode), target, new ArrayList<>(names),
                scopes.occurrences().size());
    }

    /**
     * The columns the SET assignments change: all but those assigned themselves ({@code id = id}, which Rails'
     * {@code insert_all} writes as its ON DUPLICATE KEY UPDATE to do nothing), which move no row.
     */
    private static List<Column> columns(List<UpdateSet> sets) {
        List<Column> columns = new ArrayList<>();
        for (UpdateSet set : sets) {
            for (int i = 0; i < set.getColumns().size(); i++) {
                Column column = set.getColumns().get(i);
                boolean itself = set.getValues().size() == set.getColumns().size()
                        && set.getValues().get(i) instanceof Column value && value.getTable() == null
                        && column.getTable() == null
                        && unquote(value.getColumnName()).equalsIgnoreCase(unquote(column.getColumnName()));
                if (!itself) {
                    columns.add(column);
                }
            }
        }
        return columns;
    }

    /** The top-level tables a column of an UPDATE SET may belong to: the one it names, else every candidate. */
    private static List<TableOccurrence> owners(QueryScope top, Column column) {
        if (column.getTable() != null && column.getTable().getName() != null) {
            Optional<TableOccurrence> named = top.resolve(column);
            if (named.isPresent()) {
                return List.of(named.get());
            }
        }
        return top.tables.size() == 1 ? List.of(top.tables.getFirst()) : List.copyOf(top.tables);
    }

    private static void refuseShardKeyAssignment(String statement, QueryScope top, List<Column> assigned)
            throws StatementRefusedException {
        for (Column column : assigned) {
            String name = unquote(column.getColumnName());
            for (TableOccurrence owner : owners(top, column)) {
                Optional<ShardedTableRule> sharded = owner.sharded();
                if (sharded.isPresent() && sharded.get().isShardKey(name)) {
                    throw new StatementRefusedException(Construct.SHARD_KEY_UPDATE, List.of(owner.name().toString()),
                            statement + " of shard key column '" + name + "' of sharded table " + owner.name()
                                    + " is not supported: the row would have to move to another data node");
                }
            }
        }
    }
}
