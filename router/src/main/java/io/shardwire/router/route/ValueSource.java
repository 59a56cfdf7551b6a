package io.shardwire.router.route;

import java.util.List;

/** A value in a statement that is known at plan time (a literal) or at bind time (a {@code ?} parameter). */
public sealed interface ValueSource {

    /** The value, with {@code parameters} the values bound to the statement's {@code ?}s in order. */
    Object resolve(List<?> parameters);

    /** A literal, already converted as {@link io.shardwire.router.rule.CanonicalKey} describes. */
    record Literal(Object value) implements ValueSource {
        @Override
        public Object resolve(List<?> parameters) {
            return value;
        }
    }

    /**
     * The {@code index}-th {@code ?} of the statement, counting from 1 in text order.
     *
     * @param index 1-based position
     */
    record Parameter(int index) implements ValueSource {
        @Override
        public Object resolve(List<?> parameters) {
            return parameters.get(index - 1);
        }
    }
}
