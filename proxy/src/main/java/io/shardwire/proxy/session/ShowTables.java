package io.shardwire.proxy.session;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code SHOW [FULL] TABLES [FROM | IN schema] [LIKE 'pattern' | WHERE condition]}: the proxy answers it with logical
 * names, since the tables of a schema spread over data nodes live under physical names in other databases. Read past
 * comments as the server reads them ({@link SqlComments}).
 *
 * @param full   whether a Table_type column is wanted
 * @param schema the schema named by FROM/IN, or null for the session's
 * @param like   the LIKE pattern, or null
 * @param where  the WHERE condition, or null
 */
record ShowTables(boolean full, String schema, String like, String where) {

    private static final Pattern SHOW = Pattern.compile(
            "(?is)\\s*SHOW\\s+(FULL\\s+)?TABLES(?:\\s+(?:FROM|IN)\\s+(`(?:[^`]|``)+`|[\\w$]+))?"
                    + "(?:\\s+LIKE\\s*'((?:[^'\\\\]|\\\\.|'')*)'|\\s+WHERE\\s+(.+?))?\\s*;?\\s*");

    /** The statement, if {@code sql} is one of the forms above. */
    static Optional<ShowTables> parse(String sql) {
        Matcher m = SHOW.matcher(SqlComments.asCode(sql));
        if (!m.matches()) {
            return Optional.empty();
        }
        String schema = m.group(2);
        if (schema != null && schema.startsWith("`")) {
            schema = schema.substring(1, schema.length() - 1).replace("``", "`");
        }
        String like = m.group(3) == null ? null : m.group(3).replace("''", "'");
        return Optional.of(new ShowTables(m.group(1) != null, schema, like, m.group(4)));
    }

    /** The names among {@code tables} the LIKE pattern matches, case-sensitive as table names are. */
    List<String> matching(Collection<String> tables) {
        if (like == null) {
            return List.copyOf(tables);
        }
        Pattern pattern = SqlWords.likePattern(like, false);
        return tables.stream().filter(table -> pattern.matcher(table).matches()).toList();
    }

    /** The column header of the names, as the server names it. */
    String nameColumn(String schemaName) {
        return "Tables_in_" + schemaName + (like == null ? "" : " (" + like + ")");
    }

    /** What the WHERE condition holds that the proxy does not send to a backend ({@link ShowTablesWhere}), if any. */
    Optional<String> whereRefusal() {
        return where == null ? Optional.empty() : ShowTablesWhere.read(where).refusal();
    }

    /**
     * The query that applies the WHERE condition on a backend as the server applies it to SHOW TABLES' rows: over a
     * derived table of the schema's logical names (and types, for FULL), typed as information_schema's names
     * (utf8mb3_general_ci), so that comparisons, LIKE and an unknown column behave as they do there; sorted by name.
     * Only for a condition without {@link #whereRefusal}: the condition goes as written back from its tree.
     *
     * @param tables every table of the schema, by name, with its type
     */
    String whereQuery(String schemaName, SortedMap<String, String> tables) {
        String name = SqlWords.quote(nameColumn(schemaName));
        String type = full ? ", %s AS " + SqlWords.quote("Table_type") : "";
        List<String> rows = new ArrayList<>();
        tables.forEach((table, tableType) ->
                rows.add("SELECT " + utf8(table) + " AS " + name + type.formatted(utf8(tableType))));
        if (rows.isEmpty()) {
            rows.add("SELECT " + utf8("") + " AS " + name + type.formatted(utf8("")) + " FROM DUAL WHERE FALSE");
        }
        return "SELECT * FROM (" + String.join(" UNION ALL ", rows) + ") AS `tables` WHERE (" + ShowTablesWhere.read(where).sql() + ")"
                + " ORDER BY " + name + " COLLATE utf8mb3_bin";
    }

    /** A string as information_schema types names; hex, as no sql_mode reads it otherwise. */
    private static String utf8(String text) {
        return "CONVERT(X'" + HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8))
                + "' USING utf8mb3) COLLATE utf8mb3_general_ci";
    }
}
