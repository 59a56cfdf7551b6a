package io.shardwire.router.metadata;

import io.shardwire.config.SchemaConfig;
import io.shardwire.router.rule.PhysicalTable;
import io.shardwire.router.rule.ShardingRules;
import io.shardwire.router.rule.TableRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A logical view of the {@code information_schema} tables that name schemas and tables (SCHEMATA,
 * TABLES, COLUMNS, STATISTICS, KEY_COLUMN_USAGE, TABLE_CONSTRAINTS), for the queries JDBC drivers
 * and GUI tools send. Each reference to one of them becomes a derived table of the same name that
 * reads the real one on one shard group and
 * <ul>
 *   <li>keeps one physical copy of each logical table that has one on that group (the first), the
 *       tables of the visible schemas' default databases, and {@code information_schema} itself;</li>
 *   <li>shows the data node databases as their logical schema and physical tables by their logical name.</li>
 * </ul>
 * The rest of the query (filters on {@code TABLE_SCHEMA = 'shop'}, joins, ORDER BY) then runs
 * unchanged on logical names. Other databases (other users' schemas, {@code mysql}, data node
 * databases by their own names) are not listed. Immutable, thread-safe.
 */
public final class InformationSchemaView {

    /** The schema and table columns of each viewed table, as (schema column, table column or null). */
    private static final Map<String, List<String[]>> NAME_COLUMNS = Map.of(
            "SCHEMATA", List.<String[]>of(new String[] {"SCHEMA_NAME", null}),
            "TABLES", List.<String[]>of(new String[] {"TABLE_SCHEMA", "TABLE_NAME"}),
            "COLUMNS", List.<String[]>of(new String[] {"TABLE_SCHEMA", "TABLE_NAME"}),
            "STATISTICS", List.of(new String[] {"TABLE_SCHEMA", "TABLE_NAME"}, new String[] {"INDEX_SCHEMA", null}),
            "KEY_COLUMN_USAGE", List.of(new String[] {"TABLE_SCHEMA", "TABLE_NAME"}, new String[] {"CONSTRAINT_SCHEMA", null},
                    new String[] {"REFERENCED_TABLE_SCHEMA", "REFERENCED_TABLE_NAME"}),
            "TABLE_CONSTRAINTS", List.of(new String[] {"TABLE_SCHEMA", "TABLE_NAME"}, new String[] {"CONSTRAINT_SCHEMA", null}));

    private static final String INFORMATION_SCHEMA = "information_schema";

    private final ShardingRules rules;

    public InformationSchemaView(ShardingRules rules) {
        this.rules = rules;
    }

    /** The information_schema tables whose columns the view needs to know ({@link #rewrite}'s {@code columns}). */
    public static Set<String> viewedTables() {
        return NAME_COLUMNS.keySet();
    }

    /** Whether the statement reads a viewed information_schema table (a cheap check before parsing). */
    public static boolean mayRead(String sql) {
        // Every text statement passes here: a scan in place, without a lower-case copy of the statement.
        for (int at = sql.indexOf('_'); at >= 0; at = sql.indexOf('_', at + 1)) {
            int start = at - "information".length();
            if (start >= 0 && sql.regionMatches(true, start, INFORMATION_SCHEMA, 0, INFORMATION_SCHEMA.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code sql} with its viewed information_schema tables replaced by logical views, or empty if
     * it reads none of them. Works on the statement's tokens (string literals, quoted names and
     * comments are skipped), not its AST, so that the driver queries JSqlParser cannot parse
     * (MariaDB Connector/J's {@code CONVERT(.., UNSIGNED INTEGER)}) are served too.
     *
     * <p>{@code DATABASE()} and {@code SCHEMA()} in such a statement become the session's logical schema, as a
     * literal (NULL when none is selected): the backend would answer its own database, which no view row names
     * (tools ask {@code WHERE TABLE_SCHEMA = DATABASE()}).
     *
     * @param currentSchema the session's logical schema, or null
     * @param schemas       the logical schemas the user may see
     * @param group         the shard group the statement will run on
     * @param columns       the columns of each viewed table, in order, by upper-case table name
     */
    public Optional<String> rewrite(String sql, String currentSchema, List<String> schemas, String group,
                                    Map<String, List<String>> columns) {
        List<Token> tokens = Token.split(sql);
        StringBuilder out = new StringBuilder();
        int copied = 0;
        boolean changed = false;
        for (int i = 0; i + 2 < tokens.size(); i++) {
            if (namesCurrentSchema(tokens, i)) {
                out.append(sql, copied, tokens.get(i).start()).append(currentSchema == null ? "NULL" : literal(currentSchema));
                copied = tokens.get(i + 2).end();
                i += 2;
                continue;
            }
            Token schema = tokens.get(i);
            Token table = tokens.get(i + 2);
            String name = table.name().toUpperCase(Locale.ROOT);
            boolean qualifiedColumn = i + 3 < tokens.size() && tokens.get(i + 3).text().equals(".");
            boolean qualified = i > 0 && tokens.get(i - 1).text().equals(".");
            if (!schema.name().equalsIgnoreCase(INFORMATION_SCHEMA) || !tokens.get(i + 1).text().equals(".") || qualified
                    || qualifiedColumn || !NAME_COLUMNS.containsKey(name) || !columns.containsKey(name)) {
                continue;
            }
            out.append(sql, copied, schema.start()).append('(').append(viewSql(name, columns.get(name), schemas, group)).append(')');
            if (i + 3 >= tokens.size() || !tokens.get(i + 3).isAlias()) {
                out.append(" AS `").append(table.name()).append('`');
            }
            copied = table.end();
            changed = true;
            i += 2;
        }
        if (!changed) {
            return Optional.empty();
        }
        return Optional.of(out.append(sql, copied, sql.length()).toString());
    }

    /** Whether tokens {@code i..i+2} call {@code DATABASE()} or {@code SCHEMA()} (not a qualified name's part). */
    private static boolean namesCurrentSchema(List<Token> tokens, int i) {
        String word = tokens.get(i).text();
        return (word.equalsIgnoreCase("DATABASE") || word.equalsIgnoreCase("SCHEMA"))
                && tokens.get(i + 1).text().equals("(") && tokens.get(i + 2).text().equals(")")
                && (i == 0 || !tokens.get(i - 1).text().equals("."));
    }

    /**
     * A token of a statement.
     *
     * @param text  as written ({@code '} for any string literal)
     * @param start its first character
     * @param end   past its last character
     */
    record Token(String text, int start, int end) {

        /** Words after a table that cannot be its alias. */
        private static final Set<String> NOT_ALIASES = Set.of("WHERE", "JOIN", "INNER", "LEFT", "RIGHT", "CROSS", "NATURAL",
                "STRAIGHT_JOIN", "ON", "USING", "ORDER", "GROUP", "HAVING", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "FOR",
                "LOCK", "WINDOW", "INTO", "PROCEDURE", "FULL", "OUTER", "USE", "IGNORE", "FORCE", "PARTITION", "OFFSET");

        /** The identifier it is, without backquotes. */
        String name() {
            return text.startsWith("`") && text.length() > 1 ? text.substring(1, text.length() - 1).replace("``", "`") : text;
        }

        /** Whether it can start a table alias. */
        boolean isAlias() {
            if (text.startsWith("`")) {
                return true;
            }
            return !text.isEmpty() && (Character.isLetter(text.charAt(0)) || text.charAt(0) == '_')
                    && !NOT_ALIASES.contains(text.toUpperCase(Locale.ROOT));
        }

        /** The tokens of {@code sql}: words, quoted names, string literals, single punctuation; comments skipped. */
        static List<Token> split(String sql) {
            List<Token> tokens = new ArrayList<>();
            int n = sql.length();
            int i = 0;
            while (i < n) {
                char c = sql.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '#' || (c == '-' && sql.startsWith("-- ", i))) {
                    int eol = sql.indexOf('\n', i);
                    i = eol < 0 ? n : eol + 1;
                } else if (c == '/' && sql.startsWith("/*", i)) {
                    int close = sql.indexOf("*/", i + 2);
                    i = close < 0 ? n : close + 2;
                } else if (c == '\'' || c == '"' || c == '`') {
                    int end = quoted(sql, i);
                    tokens.add(new Token(c == '`' ? sql.substring(i, end) : "'", i, end));
                    i = end;
                } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                    int end = i;
                    while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_' || sql.charAt(end) == '$')) {
                        end++;
                    }
                    tokens.add(new Token(sql.substring(i, end), i, end));
                    i = end;
                } else {
                    tokens.add(new Token(String.valueOf(c), i, i + 1));
                    i++;
                }
            }
            return tokens;
        }

        /** Past the end of the quoted text starting at {@code start} (doubled quotes and, outside names, backslash escapes). */
        private static int quoted(String sql, int start) {
            char quote = sql.charAt(start);
            int i = start + 1;
            while (i < sql.length()) {
                char d = sql.charAt(i);
                if (d == '\\' && quote != '`') {
                    i += 2;
                } else if (d == quote && i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else if (d == quote) {
                    return i + 1;
                } else {
                    i++;
                }
            }
            return sql.length();
        }
    }

    /** The derived table standing for information_schema.{@code name}. */
    String viewSql(String name, List<String> tableColumns, List<String> schemas, String group) {
        Map<String, String> schemaOfDatabase = new LinkedHashMap<>();
        Map<String, String> logicalTable = new LinkedHashMap<>();
        Set<String> kept = new LinkedHashSet<>();
        for (String schema : schemas) {
            SchemaConfig config = rules.schema(schema).orElseThrow();
            config.dataNodes().forEach(node -> schemaOfDatabase.put(node.name(), schema));
            for (String table : config.tables().keySet()) {
                TableRule rule = rules.rule(schema, table);
                boolean first = true;
                for (PhysicalTable physical : rule.physicalTables()) {
                    if (!physical.node().shardGroup().equals(group)) {
                        continue;
                    }
                    String key = physical.node().database() + "." + physical.table();
                    logicalTable.put(key, table);
                    if (first) {
                        kept.add(key);
                        first = false;
                    }
                }
            }
        }
        List<String[]> names = NAME_COLUMNS.get(name);
        String schemaColumn = names.getFirst()[0];
        String tableColumn = names.getFirst()[1];
        List<String> select = new ArrayList<>();
        for (String column : tableColumns) {
            select.add(mapped(column, names, schemaOfDatabase, logicalTable) + " AS `" + column + "`");
        }
        List<String> visible = new ArrayList<>(schemas);
        visible.add(INFORMATION_SCHEMA);
        String where = schemaColumn + " IN (" + literals(visible) + ")";
        if (tableColumn != null && !kept.isEmpty()) {
            where += " OR CONCAT(" + schemaColumn + ", '.', " + tableColumn + ") IN (" + literals(kept) + ")";
        }
        return "SELECT " + String.join(", ", select) + " FROM information_schema." + name + " WHERE " + where;
    }

    /** A column of the view: a name column mapped to logical names, anything else as it is. */
    private static String mapped(String column, List<String[]> names, Map<String, String> schemaOfDatabase,
                                 Map<String, String> logicalTable) {
        for (String[] pair : names) {
            if (column.equalsIgnoreCase(pair[0]) && !schemaOfDatabase.isEmpty()) {
                return "CASE " + pair[0] + schemaOfDatabase.entrySet().stream()
                        .map(e -> " WHEN " + literal(e.getKey()) + " THEN " + literal(e.getValue()))
                        .collect(Collectors.joining()) + " ELSE " + pair[0] + " END";
            }
            if (pair[1] != null && column.equalsIgnoreCase(pair[1]) && !logicalTable.isEmpty()) {
                return "CASE CONCAT(" + pair[0] + ", '.', " + pair[1] + ")" + logicalTable.entrySet().stream()
                        .map(e -> " WHEN " + literal(e.getKey()) + " THEN " + literal(e.getValue()))
                        .collect(Collectors.joining()) + " ELSE " + pair[1] + " END";
            }
        }
        return column;
    }

    private static String literals(Iterable<String> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(literal(v)));
        return String.join(", ", out);
    }

    private static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
