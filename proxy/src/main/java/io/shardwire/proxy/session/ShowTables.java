package io.shardwire.proxy.session;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code SHOW [FULL] TABLES [FROM | IN schema] [LIKE 'pattern']}: the proxy answers it with logical names, since the
 * tables of a schema spread over data nodes live under physical names in other databases. Read past comments as
 * the server reads them ({@link SqlComments}). The WHERE form is left to the backend.
 *
 * @param full   whether a Table_type column is wanted
 * @param schema the schema named by FROM/IN, or null for the session's
 * @param like   the LIKE pattern, or null for every table
 */
record ShowTables(boolean full, String schema, String like) {

    private static final Pattern SHOW = Pattern.compile(
            "(?is)\\s*SHOW\\s+(FULL\\s+)?TABLES(?:\\s+(?:FROM|IN)\\s+(`(?:[^`]|``)+`|[\\w$]+))?"
                    + "(?:\\s+LIKE\\s*'((?:[^'\\\\]|\\\\.|'')*)')?\\s*;?\\s*");

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
        return Optional.of(new ShowTables(m.group(1) != null, schema, like));
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
}
