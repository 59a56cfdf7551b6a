package io.shardwire.proxy.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code SHOW [GLOBAL | SESSION | LOCAL] VARIABLES [LIKE '...' | WHERE ...]}: the backend's rows, with
 * {@code max_allowed_packet} the proxy's own limit, which is what refuses a larger packet (1153) and what
 * {@code @@max_allowed_packet} answers ({@link SessionFunctions}). A client that sizes its packets by the backend's
 * value would be refused. Answered so as text and as a prepared statement's execute (the same rows, binary), with
 * comments anywhere in the statement.
 *
 * <p>A LIKE pattern selects by name, so it selects the row whatever its value. A WHERE condition may test the
 * value: it is evaluated again on the backend over the proxy's value ({@link #probe}) to decide whether the row
 * is in the answer, with the statement's parameters when it was prepared with placeholders there.
 *
 * @param where the WHERE condition, or null for none
 */
record ShowVariables(String where) {

    static final String MAX_ALLOWED_PACKET = "max_allowed_packet";

    /** Over the text past its comments ({@link SqlComments}): a LIKE pattern or WHERE condition may follow unspaced. */
    private static final Pattern SHOW = Pattern.compile(
            "(?is)\\s*SHOW\\s+(?:GLOBAL\\s+|SESSION\\s+|LOCAL\\s+)?VARIABLES(?:\\s+LIKE\\b.*?|\\s+WHERE\\b(.*?))?\\s*;?\\s*");

    /**
     * The statement as a SHOW VARIABLES, or empty when it is none; comments anywhere in it count as blanks and
     * executable comments as code, as the backend that runs it reads them.
     */
    static Optional<ShowVariables> parse(String sql) {
        Matcher show = SHOW.matcher(SqlComments.asCode(sql));
        return show.matches() ? Optional.of(new ShowVariables(show.group(1) == null ? null : show.group(1).strip()))
                : Optional.empty();
    }

    /**
     * A query that returns a row if the WHERE condition holds for {@code max_allowed_packet} with the proxy's
     * value: the condition over a one-row table with SHOW VARIABLES' columns, so the backend judges it as it
     * judged the SHOW. Only for a statement with a WHERE condition.
     */
    String probe(long maxAllowedPacket) {
        return "SELECT 1 FROM (SELECT '" + MAX_ALLOWED_PACKET + "' AS Variable_name, '" + maxAllowedPacket
                + "' AS Value) AS v WHERE " + where;
    }

    /**
     * The backend's rows (name, value; in name order) with {@code max_allowed_packet} at the proxy's value.
     *
     * @param listed whether the row belongs in the answer: for a LIKE or no filter, whether the backend listed it;
     *               for a WHERE condition, what {@link #probe} found
     */
    static List<List<String>> withProxyLimit(List<List<String>> backendRows, long maxAllowedPacket, boolean listed) {
        List<List<String>> rows = new ArrayList<>(backendRows.size() + 1);
        List<String> proxyRow = List.of(MAX_ALLOWED_PACKET, Long.toString(maxAllowedPacket));
        boolean placed = !listed;
        for (List<String> row : backendRows) {
            String name = row.getFirst();
            if (name.equalsIgnoreCase(MAX_ALLOWED_PACKET)) {
                continue;
            }
            if (!placed && name.compareToIgnoreCase(MAX_ALLOWED_PACKET) > 0) {
                rows.add(proxyRow);
                placed = true;
            }
            rows.add(row);
        }
        if (!placed) {
            rows.add(proxyRow);
        }
        return rows;
    }

    /** Whether the backend listed {@code max_allowed_packet} among {@code rows}. */
    static boolean lists(List<List<String>> rows) {
        return rows.stream().anyMatch(row -> row.getFirst().equalsIgnoreCase(MAX_ALLOWED_PACKET));
    }

    /**
     * The rows with {@code autocommit} at the session's value: the proxy keeps autocommit itself, so a backend that
     * has not run a statement of the session since SET autocommit = 0 still says ON. (A WHERE on its value is judged
     * by the backend's.)
     */
    static List<List<String>> withSessionAutocommit(List<List<String>> rows, boolean autocommit) {
        List<List<String>> answer = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            answer.add(row.getFirst().equalsIgnoreCase("autocommit") ? List.of(row.getFirst(), autocommit ? "ON" : "OFF")
                    : row);
        }
        return answer;
    }
}
