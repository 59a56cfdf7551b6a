package io.shardwire.proxy.session;

import io.shardwire.config.SchemaConfig;
import io.shardwire.config.UserConfig;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.router.plan.NodeStatement;
import io.shardwire.router.rule.DataNode;
import io.shardwire.router.rule.LogicalNames;
import io.shardwire.router.rule.PhysicalTable;
import io.shardwire.router.rule.ShardingRules;
import io.shardwire.router.rule.TableRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The table metadata statements, answered with logical names: {@code SHOW [FULL] COLUMNS|FIELDS},
 * {@code DESCRIBE|DESC|EXPLAIN t}, {@code SHOW INDEX|INDEXES|KEYS}, {@code SHOW CREATE TABLE} and
 * {@code SHOW TABLE STATUS}. A logical table is read from one of its physical tables (its first),
 * whose name is then replaced by the logical one wherever the answer shows it; a physical name
 * never reaches the client. Statements naming a database that is not a logical schema are not
 * handled here. Immutable, thread-safe.
 */
final class LogicalMetadata {

    /** Words after DESCRIBE/DESC/EXPLAIN that make it a statement explanation, not a table description. */
    private static final Set<String> EXPLAINED = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH",
            "EXTENDED", "PARTITIONS", "FORMAT", "ANALYZE", "SHARDWIRE", "(", "TABLE", "VALUES");

    private final ShardingRules rules;
    private final LogicalNames names;

    LogicalMetadata(ShardingRules rules) {
        this.rules = rules;
        this.names = new LogicalNames(rules);
    }

    /**
     * The answer to {@code sql} if it is one of the statements above on a logical schema.
     *
     * @param schema the session's schema, or null
     * @param user   whose visible schemas bound what may be described
     */
    Optional<MetadataAnswer> answer(String sql, String schema, UserConfig user) {
        List<String> words = SqlWords.split(sql);
        if (words.isEmpty()) {
            return Optional.empty();
        }
        String first = upper(words, 0);
        if (first.equals("DESCRIBE") || first.equals("DESC") || first.equals("EXPLAIN")) {
            if (words.size() < 2 || EXPLAINED.contains(upper(words, 1))) {
                return Optional.empty();
            }
            return table(words, 1, schema, user, (node, table, rest) -> relay(node, "DESCRIBE " + table + rest));
        }
        if (!first.equals("SHOW") || words.size() < 3) {
            return Optional.empty();
        }
        int at = 1;
        boolean full = upper(words, at).equals("FULL");
        if (full) {
            at++;
        }
        String what = upper(words, at);
        if ((what.equals("COLUMNS") || what.equals("FIELDS")) && isFrom(words, at + 1)) {
            String show = "SHOW " + (full ? "FULL " : "") + "COLUMNS FROM ";
            return table(words, at + 2, schema, user, (node, table, rest) -> relay(node, show + table + rest));
        }
        if (full) {
            return Optional.empty();
        }
        if ((what.equals("INDEX") || what.equals("INDEXES") || what.equals("KEYS")) && isFrom(words, at + 1)) {
            return table(words, at + 2, schema, user, (node, table, rest) -> renamed(node, "SHOW INDEX FROM " + table + rest,
                    (i, columns, rows) -> replaceColumn(columns, rows, "Table", node.table())));
        }
        if (what.equals("CREATE") && upper(words, at + 1).equals("TABLE")) {
            return table(words, at + 2, schema, user, (node, table, rest) -> renamed(node, "SHOW CREATE TABLE " + table + rest,
                    (i, columns, rows) -> createTable(node, columns, rows)));
        }
        if (what.equals("TABLE") && upper(words, at + 1).equals("STATUS")) {
            return tableStatus(words, at + 2, schema, user);
        }
        return Optional.empty();
    }

    /** What to do with a resolved table: its node, its physical name as SQL, and the statement's words after the table. */
    @FunctionalInterface
    private interface TableAnswer {
        MetadataAnswer answer(Physical node, String physicalTable, String rest);
    }

    /**
     * A logical table resolved to one physical copy.
     *
     * @param schema   the logical schema
     * @param table    the logical table
     * @param physical the copy read
     */
    private record Physical(String schema, String table, PhysicalTable physical) {
    }

    private Optional<MetadataAnswer> table(List<String> words, int at, String sessionSchema, UserConfig user, TableAnswer answer) {
        if (at >= words.size()) {
            return Optional.empty();
        }
        String schema = sessionSchema;
        String table = SqlWords.unquote(words.get(at));
        int next = at + 1;
        if (next + 1 < words.size() && words.get(next).equals(".")) {
            schema = table;
            table = SqlWords.unquote(words.get(next + 1));
            next += 2;
        }
        if (isFrom(words, next) && next + 1 < words.size()) {
            schema = SqlWords.unquote(words.get(next + 1));
            next += 2;
        }
        if (schema == null) {
            return Optional.of(new MetadataAnswer.Refused(SessionError.of(MySQLErrorCode.ER_NO_DB_ERROR)));
        }
        Optional<MetadataAnswer> refused = checkSchema(schema, user);
        if (refused == null) {
            return Optional.empty();
        }
        if (refused.isPresent()) {
            return refused;
        }
        PhysicalTable physical = rules.rule(schema, table).physicalTables().getFirst();
        String rest = String.join(" ", words.subList(next, words.size()));
        return Optional.of(answer.answer(new Physical(schema, table, physical), SqlWords.quote(physical.node().database())
                + "." + SqlWords.quote(physical.table()), rest.isEmpty() ? "" : " " + rest));
    }

    /** Empty if the schema may be described, an error if not visible, null if it is no logical schema (not handled here). */
    private Optional<MetadataAnswer> checkSchema(String schema, UserConfig user) {
        if (rules.schema(schema).isEmpty()) {
            return null;
        }
        if (!user.maySee(schema)) {
            return Optional.of(new MetadataAnswer.Refused(SessionError.of(MySQLErrorCode.ER_DBACCESS_DENIED_ERROR,
                    user.name(), "%", schema)));
        }
        return Optional.empty();
    }

    private Optional<MetadataAnswer> tableStatus(List<String> words, int at, String sessionSchema, UserConfig user) {
        String schema = sessionSchema;
        if (isFrom(words, at) && at + 1 < words.size()) {
            schema = SqlWords.unquote(words.get(at + 1));
            at += 2;
        }
        Pattern like = null;
        if (at < words.size()) {
            if (!upper(words, at).equals("LIKE") || at + 2 != words.size()) {
                return Optional.of(new MetadataAnswer.Refused(SessionError.of(MySQLErrorCode.ER_NOT_SUPPORTED_YET,
                        "SHOW TABLE STATUS with WHERE (use LIKE)")));
            }
            like = SqlWords.likePattern(SqlWords.unquote(words.get(at + 1)), true);
        }
        if (schema == null) {
            return Optional.of(new MetadataAnswer.Refused(SessionError.of(MySQLErrorCode.ER_NO_DB_ERROR)));
        }
        Optional<MetadataAnswer> refused = checkSchema(schema, user);
        if (refused == null) {
            return Optional.empty();
        }
        if (refused.isPresent()) {
            return refused;
        }
        SchemaConfig config = rules.schema(schema).orElseThrow();
        List<NodeStatement> statements = new ArrayList<>();
        List<String> logicalTables = new ArrayList<>();
        for (String table : config.tables().keySet().stream().sorted().toList()) {
            if (like == null || like.matcher(table).matches()) {
                PhysicalTable physical = rules.rule(schema, table).physicalTables().getFirst();
                statements.add(new NodeStatement(physical.node(), "SHOW TABLE STATUS FROM " + SqlWords.quote(physical.node().database())
                        + " LIKE " + SqlWords.literal(SqlWords.escapeLike(physical.table())), List.of()));
                logicalTables.add(table);
            }
        }
        DataNode defaultNode = rules.defaultNode(schema);
        statements.add(new NodeStatement(defaultNode, "SHOW TABLE STATUS FROM " + SqlWords.quote(defaultNode.database()), List.of()));
        Pattern filter = like;
        return Optional.of(new MetadataAnswer.Renamed(statements, (i, columns, rows) -> {
            if (i < logicalTables.size()) {
                return replaceColumn(columns, rows, "Name", logicalTables.get(i));
            }
            // The default database's own tables, but not the copies already listed under their logical names.
            return rows.stream().filter(row -> !config.tables().containsKey(row.getFirst())
                    && (filter == null || filter.matcher(row.getFirst()).matches())).toList();
        }));
    }

    private static MetadataAnswer relay(Physical node, String sql) {
        return new MetadataAnswer.Relay(new NodeStatement(node.physical().node(), sql, List.of()));
    }

    private static MetadataAnswer renamed(Physical node, String sql, MetadataAnswer.RowRenamer renamer) {
        return new MetadataAnswer.Renamed(List.of(new NodeStatement(node.physical().node(), sql, List.of())), renamer);
    }

    /** The rows with the named column holding {@code value}. */
    private static List<List<String>> replaceColumn(List<String> columns, List<List<String>> rows, String column, String value) {
        int index = columns.indexOf(column);
        if (index < 0) {
            return rows;
        }
        List<List<String>> out = new ArrayList<>();
        for (List<String> row : rows) {
            List<String> copy = new ArrayList<>(row);
            copy.set(index, value);
            out.add(copy);
        }
        return out;
    }

    /**
     * SHOW CREATE TABLE of a physical copy as the logical table's: the Table column and every
     * quoted name of a physical table of that node (the table itself, foreign key targets) renamed.
     */
    private List<List<String>> createTable(Physical node, List<String> columns, List<List<String>> rows) {
        List<List<String>> out = replaceColumn(columns, rows, "Table", node.table());
        int ddl = columns.indexOf("Create Table");
        if (ddl < 0) {
            return out;
        }
        String database = node.physical().node().database();
        for (List<String> row : out) {
            row.set(ddl, SqlWords.renameQuoted(row.get(ddl), name -> {
                LogicalNames.Name logical = names.of(database, name);
                return logical.schema().equals(node.schema()) ? logical.table() : name;
            }));
        }
        return out;
    }

    private static boolean isFrom(List<String> words, int at) {
        String word = upper(words, at);
        return word.equals("FROM") || word.equals("IN");
    }

    private static String upper(List<String> words, int at) {
        return at < words.size() ? words.get(at).toUpperCase(Locale.ROOT) : "";
    }
}
