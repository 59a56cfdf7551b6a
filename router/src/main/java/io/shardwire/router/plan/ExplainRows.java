package io.shardwire.router.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The result of {@code EXPLAIN SHARDWIRE <statement>}: a text result set the proxy sends as is.
 *
 * @param columns the column names
 * @param rows    the rows, each value a string (or null)
 */
public record ExplainRows(List<String> columns, List<List<String>> rows) implements LocalAnswer.Answer {

    public ExplainRows {
        columns = List.copyOf(columns);
        rows = rows.stream().map(r -> Collections.unmodifiableList(new ArrayList<>(r))).toList();
    }
}
