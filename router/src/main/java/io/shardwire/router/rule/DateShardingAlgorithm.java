package io.shardwire.router.rule;

import io.shardwire.config.ShardingAlgorithmConfig.DateUnit;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code date}: the days (or months) from 1970-01-01 to a DATE or DATETIME key, modulo the bucket
 * count, so consecutive days (months) fill consecutive buckets and a short date range maps to a
 * few buckets. The time of day never matters.
 */
public record DateShardingAlgorithm(DateUnit unit, int buckets) implements ShardingAlgorithm {

    private static final LocalDate EPOCH = LocalDate.of(1970, 1, 1);

    @Override
    public OptionalInt bucketOf(Object value) {
        if (value == null) {
            return OptionalInt.of(0);
        }
        return CanonicalKey.dateTime(value).map(d -> OptionalInt.of(bucket(index(d)))).orElse(OptionalInt.empty());
    }

    @Override
    public BitSet bucketsBetween(Object lower, Object upper) {
        Optional<LocalDateTime> low = lower == null ? Optional.empty() : CanonicalKey.dateTime(lower);
        Optional<LocalDateTime> high = upper == null ? Optional.empty() : CanonicalKey.dateTime(upper);
        if (low.isEmpty() || high.isEmpty()) {
            return allBuckets();
        }
        long first = index(low.get());
        long last = index(high.get());
        BitSet buckets = new BitSet(this.buckets);
        if (last < first) {
            return buckets;
        }
        if (last - first + 1 >= this.buckets) {
            return allBuckets();
        }
        for (long i = first; i <= last; i++) {
            buckets.set(bucket(i));
        }
        return buckets;
    }

    @Override
    public String accepts() {
        return "a DATE or DATETIME";
    }

    private long index(LocalDateTime dateTime) {
        LocalDate date = dateTime.toLocalDate();
        return switch (unit) {
            case DAY -> ChronoUnit.DAYS.between(EPOCH, date);
            case MONTH -> ChronoUnit.MONTHS.between(EPOCH, date.withDayOfMonth(1));
        };
    }

    private int bucket(long index) {
        return (int) Math.floorMod(index, (long) buckets);
    }
}
