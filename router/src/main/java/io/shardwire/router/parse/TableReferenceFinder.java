package io.shardwire.router.parse;

import static io.shardwire.router.parse.Identifiers.unquote;

import java.util.LinkedHashSet;
import java.util.Set;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Every table a statement reads or writes, in subqueries and joins too, without CTE names.
 * Built on JSqlParser's {@link TablesNamesFinder}, which already knows every statement shape;
 * we only keep the parts of each name unquoted instead of its rendered text.
 */
public final class TableReferenceFinder {

    private static final char SEPARATOR = '\u0000';

    /**
     * The distinct tables the statement names, in order of appearance; empty for statements whose
     * tables JSqlParser cannot enumerate (e.g. {@code SHOW TABLES}), which then name none for routing.
     */
    public Set<TableReference> find(Statement statement) {
        Set<String> keys;
        try {
            keys = new NamePartsFinder().getTables(statement);
        } catch (UnsupportedOperationException e) {
            return Set.of();
        }
        Set<TableReference> tables = new LinkedHashSet<>();
        for (String key : keys) {
            int cut = key.indexOf(SEPARATOR);
            tables.add(cut < 0
                    ? new TableReference(null, key)
                    : new TableReference(key.substring(0, cut), key.substring(cut + 1)));
        }
        return tables;
    }

    /** Renders each table as {@code schema NUL table}, so the finder's own de-duplication still works. */
    private static final class NamePartsFinder extends TablesNamesFinder<Void> {
        @Override
        protected String extractTableName(Table table) {
            String name = unquote(table.getName());
            String schema = table.getSchemaName();
            return schema == null ? name : unquote(schema) + SEPARATOR + name;
        }
    }
}
