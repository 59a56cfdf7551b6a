package io.shardwire.router.rule;

import java.util.BitSet;
import java.util.OptionalInt;

/**
 * {@code hash}: MurmurHash3 (x86, 32-bit, seed 0) of the key's {@linkplain CanonicalKey#bytes canonical
 * bytes}, taken as unsigned, modulo the bucket count. Places a value of any type but a number with a fraction, whose
 * stored value depends on the column's type (reads of one look on every node; an INSERT of one is refused); ranges are
 * never narrowed, since hashing does not keep order.
 */
public record HashShardingAlgorithm(int buckets) implements ShardingAlgorithm {

    @Override
    public OptionalInt bucketOf(Object value) {
        if (value == null) {
            return OptionalInt.of(0);
        }
        if (!(value instanceof Long || value instanceof Integer) && fractional(value)) {
            // 1.5 is stored as 2 in an integer column, as 1.5 in a DECIMAL one and as '1.5' in a string one: which
            // value the row gets depends on the column's type, which the router does not know.
            return OptionalInt.empty();
        }
        long hash = Integer.toUnsignedLong(Murmur3Hash.hash32(CanonicalKey.bytes(value)));
        return OptionalInt.of((int) (hash % buckets));
    }

    @Override
    public BitSet bucketsBetween(Object lower, Object upper) {
        return allBuckets();
    }

    @Override
    public String accepts() {
        return "any value but a number with a fraction, or a string that is one (what the row stores depends on the"
                + " column's type: round it)";
    }

    /** A number, or a string that is one, with a fractional part ({@code 1.5}, {@code '2.5e0'}; not {@code 2.0}). */
    private static boolean fractional(Object value) {
        if (value instanceof String text && text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
            // Most string keys: no number with a fraction, without parsing them as one.
            return false;
        }
        return CanonicalKey.number(value).map(n -> n.stripTrailingZeros().scale() > 0).orElse(false);
    }
}
