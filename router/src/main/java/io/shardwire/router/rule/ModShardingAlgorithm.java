package io.shardwire.router.rule;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.BitSet;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code mod}: an integer key modulo the bucket count, negative keys counted from the top
 * ({@code -1} is in the last bucket). Short ranges of keys map to the buckets they cover.
 */
public record ModShardingAlgorithm(int buckets) implements ShardingAlgorithm {

    @Override
    public OptionalInt bucketOf(Object value) {
        if (value == null) {
            return OptionalInt.of(0);
        }
        if (value instanceof Long key) {
            // A prepared execute's usual key: the same bucket as the exact path below, without its BigDecimal.
            return OptionalInt.of((int) Math.floorMod(key, (long) buckets));
        }
        return CanonicalKey.integer(value).map(this::bucket).map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    @Override
    public BitSet bucketsBetween(Object lower, Object upper) {
        // The smallest and largest integers in the range; fractional bounds only narrow it.
        Optional<BigInteger> low = bound(lower, RoundingMode.CEILING);
        Optional<BigInteger> high = bound(upper, RoundingMode.FLOOR);
        if (low.isEmpty() || high.isEmpty()) {
            return allBuckets();
        }
        BitSet buckets = new BitSet(this.buckets);
        BigInteger span = high.get().subtract(low.get());
        if (span.signum() < 0) {
            return buckets;
        }
        if (span.compareTo(BigInteger.valueOf(this.buckets)) >= 0) {
            return allBuckets();
        }
        for (BigInteger k = low.get(); k.compareTo(high.get()) <= 0; k = k.add(BigInteger.ONE)) {
            buckets.set(bucket(k));
        }
        return buckets;
    }

    @Override
    public String accepts() {
        return "an integer";
    }

    private int bucket(BigInteger key) {
        return key.mod(BigInteger.valueOf(buckets)).intValueExact();
    }

    private static Optional<BigInteger> bound(Object value, RoundingMode rounding) {
        return value == null ? Optional.empty()
                : CanonicalKey.number(value).map(n -> n.setScale(0, rounding)).map(BigDecimal::toBigIntegerExact);
    }
}
