package io.shardwire.router.rewrite;

import java.util.ArrayList;
import java.util.List;

/**
 * SQL text written from an AST, with the statement's {@code ?} placeholders it contains.
 *
 * @param sql        the text
 * @param parameters for each {@code ?} in the text, in order, the 1-based index of the original statement's
 *                   {@code ?} it stands for (the same one may appear twice, e.g. in a derived column)
 */
public record StatementText(String sql, List<Integer> parameters) {

    public StatementText {
        parameters = List.copyOf(parameters);
    }

    /** The values for this text's {@code ?}s, picked from the values bound to the original statement. */
    public List<Object> bind(List<?> originalParameters) {
        List<Object> values = new ArrayList<>(parameters.size());
        for (int index : parameters) {
            values.add(originalParameters.get(index - 1));
        }
        return values;
    }
}
