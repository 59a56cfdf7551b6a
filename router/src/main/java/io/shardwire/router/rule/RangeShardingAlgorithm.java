package io.shardwire.router.rule;

import java.math.BigDecimal;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code range}: bucket {@code i} holds the keys in {@code [boundaries[i-1], boundaries[i])}; the
 * first bucket everything below the first boundary (and NULL, which sorts first), the last
 * everything from the last boundary on. Numeric keys only.
 */
public record RangeShardingAlgorithm(List<Long> boundaries) implements ShardingAlgorithm {

    public RangeShardingAlgorithm {
        boundaries = List.copyOf(boundaries);
    }

    @Override
    public int buckets() {
        return boundaries.size() + 1;
    }

    @Override
    public OptionalInt bucketOf(Object value) {
        if (value == null) {
            return OptionalInt.of(0);
        }
        return CanonicalKey.number(value).map(n -> OptionalInt.of(bucket(n))).orElse(OptionalInt.empty());
    }

    @Override
    public BitSet bucketsBetween(Object lower, Object upper) {
        Optional<BigDecimal> low = lower == null ? Optional.empty() : CanonicalKey.number(lower);
        Optional<BigDecimal> high = upper == null ? Optional.empty() : CanonicalKey.number(upper);
        if ((lower != null && low.isEmpty()) || (upper != null && high.isEmpty())) {
            return allBuckets();
        }
        BitSet buckets = new BitSet(buckets());
        if (low.isPresent() && high.isPresent() && low.get().compareTo(high.get()) > 0) {
            return buckets;
        }
        int first = low.map(this::bucket).orElse(0);
        int last = high.map(this::bucket).orElse(buckets() - 1);
        buckets.set(first, last + 1);
        return buckets;
    }

    @Override
    public String accepts() {
        return "a number";
    }

    /** The number of boundaries at or below the key. */
    private int bucket(BigDecimal key) {
        int low = 0;
        int high = boundaries.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (BigDecimal.valueOf(boundaries.get(mid)).compareTo(key) <= 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
