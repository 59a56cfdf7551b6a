package io.shardwire.router.rewrite;

import static io.shardwire.router.parse.Identifiers.unquote;

import io.shardwire.router.parse.TableReference;
import io.shardwire.router.rule.PhysicalTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.util.TablesNamesFinder;
import net.sf.jsqlparser.util.deparser.ExpressionDeParser;
import net.sf.jsqlparser.util.deparser.SelectDeParser;
import net.sf.jsqlparser.util.deparser.StatementDeParser;

/**
 * Writes a statement for one data node: every logical table name becomes the physical
 * {@code `database`.`table`}, and column qualifiers that name a table rather than an alias
 * ({@code orders.id}, {@code shop.orders.id}) follow, so the statement means on the node what it
 * meant logically. Aliases, CTE names and tables of server schemas stay as written.
 *
 * <p>Writing sets the physical names on the AST's table nodes, so a writer, and the AST it was
 * built on, must be used by one thread at a time.
 */
public final class PhysicalSqlWriter {

    private static final Set<String> SERVER_SCHEMAS = Set.of("information_schema", "performance_schema");

    private final Statement statement;
    private final Map<Table, TableReference> logicalTables = new IdentityHashMap<>();
    private final Set<String> aliases = new HashSet<>();
    // Table name -> the logical tables named so without an alias: what a column qualifier "name." means.
    private final Map<String, List<TableReference>> unaliasedByName = new HashMap<>();

    /**
     * @param statement     the statement, whose tables are read now (tables added to the AST later are not rewritten)
     * @param currentSchema the session's schema for unqualified tables, or null
     */
    public PhysicalSqlWriter(Statement statement, String currentSchema) {
        this.statement = statement;
        Set<String> cteNames = new HashSet<>();
        List<Table> tables = new ArrayList<>();
        try {
            new TablesNamesFinder<Void>() {
                @Override
                public <S> Void visit(Table table, S context) {
                    tables.add(table);
                    return super.visit(table, context);
                }

                @Override
                public <S> Void visit(WithItem<?> withItem, S context) {
                    cteNames.add(unquote(withItem.getAliasName()).toLowerCase(Locale.ROOT));
                    return super.visit(withItem, context);
                }
            }.getTables(statement);
        } catch (UnsupportedOperationException e) {
            // A statement form the finder does not know names no table we could rename.
            return;
        }
        for (Table table : tables) {
            String name = unquote(table.getName());
            // CTE names and MySQL's DUAL pseudo-table name no table of a data node.
            if (table.getSchemaName() == null && (cteNames.contains(name.toLowerCase(Locale.ROOT)) || name.equalsIgnoreCase("dual"))) {
                continue;
            }
            String schema = table.getSchemaName() == null ? currentSchema : unquote(table.getSchemaName());
            if (schema == null || SERVER_SCHEMAS.contains(schema.toLowerCase(Locale.ROOT))) {
                continue;
            }
            TableReference logical = new TableReference(schema, name);
            logicalTables.put(table, logical);
            if (table.getAlias() != null) {
                aliases.add(unquote(table.getAlias().getName()));
            } else {
                unaliasedByName.computeIfAbsent(name, k -> new ArrayList<>()).add(logical);
            }
        }
    }

    /** The statement with the physical names of {@code tables}; tables missing from the map keep their names. */
    public StatementText write(Map<TableReference, PhysicalTable> tables) {
        logicalTables.forEach((node, logical) -> {
            PhysicalTable physical = tables.get(logical);
            if (physical != null) {
                node.setSchemaName(quote(physical.node().database()));
                node.setName(quote(physical.table()));
            }
        });
        StringBuilder buffer = new StringBuilder();
        List<Integer> parameters = new ArrayList<>();
        ExpressionDeParser expressions = new ExpressionDeParser() {
            @Override
            public <S> StringBuilder visit(JdbcParameter parameter, S context) {
                parameters.add(parameter.getIndex());
                builder.append('?');
                return builder;
            }

            @Override
            public <S> StringBuilder visit(Column column, S context) {
                Table qualifier = column.getTable();
                Table physical = physicalQualifier(qualifier, tables);
                if (physical == null) {
                    return super.visit(column, context);
                }
                column.setTable(physical);
                try {
                    return super.visit(column, context);
                } finally {
                    column.setTable(qualifier);
                }
            }

            @Override
            public <S> StringBuilder visit(AllTableColumns all, S context) {
                Table qualifier = all.getTable();
                Table physical = physicalQualifier(qualifier, tables);
                if (physical == null) {
                    return super.visit(all, context);
                }
                all.setTable(physical);
                try {
                    return super.visit(all, context);
                } finally {
                    all.setTable(qualifier);
                }
            }
        };
        SelectDeParser selects = new SelectDeParser(expressions, buffer);
        expressions.setSelectVisitor(selects);
        expressions.setBuilder(buffer);
        statement.accept(new StatementDeParser(expressions, selects, buffer));
        return new StatementText(buffer.toString(), parameters);
    }

    /** The physical qualifier for a column qualifier naming an unaliased logical table, or null to keep it. */
    private Table physicalQualifier(Table qualifier, Map<TableReference, PhysicalTable> tables) {
        if (qualifier == null || qualifier.getName() == null) {
            return null;
        }
        String name = unquote(qualifier.getName());
        PhysicalTable physical;
        if (qualifier.getSchemaName() != null) {
            physical = tables.get(new TableReference(unquote(qualifier.getSchemaName()), name));
            return physical == null ? null : new Table(quote(physical.node().database()), quote(physical.table()));
        }
        if (aliases.contains(name)) {
            return null;
        }
        List<TableReference> candidates = unaliasedByName.getOrDefault(name, List.of());
        if (candidates.isEmpty() || (physical = tables.get(candidates.getFirst())) == null) {
            return null;
        }
        return new Table(quote(physical.table()));
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
