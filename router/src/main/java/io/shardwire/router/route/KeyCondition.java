package io.shardwire.router.route;

import io.shardwire.router.rule.ShardingAlgorithm;
import java.util.BitSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * What a WHERE clause says about a shard key, reduced to what routing needs: the buckets rows
 * can be in. Built at plan time with {@code ?} left open; {@link #buckets} resolves it per execution.
 * Every condition is an over-approximation: a row that satisfies the WHERE clause is always in one
 * of its buckets.
 */
public sealed interface KeyCondition {

    /** The buckets that may hold matching rows, with {@code parameters} bound to the statement's {@code ?}s. */
    BitSet buckets(ShardingAlgorithm algorithm, List<?> parameters);

    /** Condition text for plan descriptions, e.g. {@code customer_id IN (7, ?2)}. */
    String describe(String key);

    /** Nothing known: every bucket. */
    record Any() implements KeyCondition {
        @Override
        public BitSet buckets(ShardingAlgorithm algorithm, List<?> parameters) {
            return algorithm.allBuckets();
        }

        @Override
        public String describe(String key) {
            return "any " + key;
        }
    }

    /** {@code key = v}, {@code key IN (v, ...)} or {@code key IS NULL} (a null literal). */
    record In(List<ValueSource> values) implements KeyCondition {
        public In {
            values = List.copyOf(values);
        }

        @Override
        public BitSet buckets(ShardingAlgorithm algorithm, List<?> parameters) {
            BitSet buckets = new BitSet(algorithm.buckets());
            for (ValueSource value : values) {
                OptionalInt bucket = algorithm.bucketOf(value.resolve(parameters));
                if (bucket.isEmpty()) {
                    // A value the algorithm cannot place (2.5 for mod): MySQL's conversions decide, so look everywhere.
                    return algorithm.allBuckets();
                }
                buckets.set(bucket.getAsInt());
            }
            return buckets;
        }

        @Override
        public String describe(String key) {
            if (values.size() == 1 && values.getFirst() instanceof ValueSource.Literal(Object o) && o == null) {
                return key + " IS NULL";
            }
            return values.size() == 1 ? key + " = " + text(values.getFirst())
                    : key + " IN (" + values.stream().map(KeyCondition::text).collect(Collectors.joining(", ")) + ")";
        }
    }

    /** {@code lower <= key <= upper}; a null source is an open end. Strict comparisons widen to inclusive. */
    record Between(ValueSource lower, ValueSource upper) implements KeyCondition {
        @Override
        public BitSet buckets(ShardingAlgorithm algorithm, List<?> parameters) {
            Object low = lower == null ? null : lower.resolve(parameters);
            Object high = upper == null ? null : upper.resolve(parameters);
            // A NULL bound matches nothing in SQL; an open end is the safe reading.
            return algorithm.bucketsBetween(low, high);
        }

        @Override
        public String describe(String key) {
            return (lower == null ? "" : text(lower) + " <= ") + key + (upper == null ? "" : " <= " + text(upper));
        }
    }

    /** Both hold: the intersection. */
    record And(List<KeyCondition> parts) implements KeyCondition {
        public And {
            parts = List.copyOf(parts);
        }

        @Override
        public BitSet buckets(ShardingAlgorithm algorithm, List<?> parameters) {
            BitSet buckets = algorithm.allBuckets();
            parts.forEach(p -> buckets.and(p.buckets(algorithm, parameters)));
            return buckets;
        }

        @Override
        public String describe(String key) {
            return parts.stream().map(p -> p.describe(key)).collect(Collectors.joining(" AND ", "(", ")"));
        }
    }

    /** Either holds: the union. */
    record Or(List<KeyCondition> parts) implements KeyCondition {
        public Or {
            parts = List.copyOf(parts);
        }

        @Override
        public BitSet buckets(ShardingAlgorithm algorithm, List<?> parameters) {
            BitSet buckets = new BitSet(algorithm.buckets());
            parts.forEach(p -> buckets.or(p.buckets(algorithm, parameters)));
            return buckets;
        }

        @Override
        public String describe(String key) {
            return parts.stream().map(p -> p.describe(key)).collect(Collectors.joining(" OR ", "(", ")"));
        }
    }

    /** Both, simplified: {@link Any} drops out. */
    static KeyCondition and(KeyCondition a, KeyCondition b) {
        if (a instanceof Any) {
            return b;
        }
        if (b instanceof Any) {
            return a;
        }
        return new And(List.of(a, b));
    }

    /** Either, simplified: {@link Any} absorbs. */
    static KeyCondition or(KeyCondition a, KeyCondition b) {
        if (a instanceof Any || b instanceof Any) {
            return new Any();
        }
        return new Or(List.of(a, b));
    }

    private static String text(ValueSource value) {
        return switch (value) {
            case ValueSource.Parameter p -> "?" + p.index();
            case ValueSource.Literal(String s) -> "'" + s.replace("'", "''") + "'";
            case ValueSource.Literal(Object o) when o == null -> "NULL";
            case ValueSource.Literal(Object o) -> o.toString();
        };
    }
}
