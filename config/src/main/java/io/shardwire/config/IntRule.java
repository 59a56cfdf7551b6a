package io.shardwire.config;

import java.util.function.LongPredicate;

/**
 * The integers a key accepts, and how an error message describes them
 * ({@code must be an integer in 1..65535, got 'abc'}).
 *
 * @param accepts     whether a value is allowed
 * @param description what is allowed, completing "must be ..."
 */
record IntRule(LongPredicate accepts, String description) {

    static IntRule between(long min, long max) {
        return new IntRule(v -> v >= min && v <= max, "an integer in " + min + ".." + max);
    }

    static IntRule atLeast(long min) {
        return new IntRule(v -> v >= min, "an integer >= " + min);
    }

    /** This rule, but also accepting -1, the usual "no limit" value. */
    IntRule orMinusOne() {
        return new IntRule(v -> v == -1 || accepts.test(v), "-1 or " + description);
    }
}
