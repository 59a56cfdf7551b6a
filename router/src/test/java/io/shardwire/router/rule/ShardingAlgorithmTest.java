package io.shardwire.router.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.config.ShardingAlgorithmConfig.DateUnit;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.BitSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardingAlgorithmTest {

    @Test
    void murmur3MatchesTheReferenceVectors() {
        assertThat(Murmur3Hash.hash32(bytes(""))).isEqualTo(0);
        assertThat(Murmur3Hash.hash32(bytes("a"))).isEqualTo(0x3c2569b2);
        assertThat(Murmur3Hash.hash32(bytes("abc"))).isEqualTo(0xb3dd93fa);
        assertThat(Murmur3Hash.hash32(bytes("hello"))).isEqualTo(0x248bfa47);
        assertThat(Murmur3Hash.hash32(bytes("The quick brown fox jumps over the lazy dog"))).isEqualTo(0x2e4ff723);
    }

    @Test
    void hashBucketsAreStable() {
        // Golden values: rows already stored depend on them, so they must never change.
        HashShardingAlgorithm hash = new HashShardingAlgorithm(1024);
        assertThat(hash.bucketOf(1L)).hasValue(bucketOfText("1", 1024));
        assertThat(List.of(hash.bucketOf(1L).getAsInt(), hash.bucketOf(42L).getAsInt(), hash.bucketOf("alice").getAsInt(),
                hash.bucketOf(LocalDate.of(2024, 1, 5)).getAsInt()))
                .containsExactly(goldenOf("1"), goldenOf("42"), goldenOf("alice"), goldenOf("2024-01-05"));
        assertThat(List.of(goldenOf("1"), goldenOf("42"), goldenOf("alice"), goldenOf("2024-01-05")))
                .containsExactly(147, 54, 733, 1006);
    }

    @Test
    void hashAgreesForValuesMySqlConsidersEqual() {
        HashShardingAlgorithm hash = new HashShardingAlgorithm(1024);
        OptionalInt fortyTwo = hash.bucketOf(42L);
        assertThat(List.of(hash.bucketOf(42), hash.bucketOf(BigInteger.valueOf(42)), hash.bucketOf(new BigDecimal("42.000")),
                hash.bucketOf("42"), hash.bucketOf(" 42"), hash.bucketOf("4.2e1"), hash.bucketOf(42.0)))
                .allMatch(fortyTwo::equals);
        assertThat(hash.bucketOf("Élan  ")).isEqualTo(hash.bucketOf("elan"));
        assertThat(hash.bucketOf("2024-01-05 00:00:00")).isEqualTo(hash.bucketOf(LocalDate.of(2024, 1, 5)));
        assertThat(hash.bucketOf(LocalDateTime.of(2024, 1, 5, 10, 30, 0, 500_000_000)))
                .isEqualTo(hash.bucketOf("2024-01-05 10:30:00.500000"));
        assertThat(hash.bucketOf("alice")).isNotEqualTo(hash.bucketOf("bob"));
        assertThat(hash.bucketOf(null)).hasValue(0);
    }

    @Test
    void hashSpreadsSequentialKeysEvenly() {
        HashShardingAlgorithm hash = new HashShardingAlgorithm(1024);
        int[] perNode = new int[4];
        BucketMap map = BucketMap.evenlySpread(1024, 4);
        for (long k = 1; k <= 40_000; k++) {
            perNode[map.nodeOf(hash.bucketOf(k).getAsInt())]++;
        }
        // 10,000 expected per node; a fair hash stays within a few percent.
        assertThat(IntStream.of(perNode).boxed().toList()).allSatisfy(n -> assertThat(n).isBetween(9_500, 10_500));
        assertThat(hash.bucketsBetween(1L, 2L)).isEqualTo(hash.allBuckets());
    }

    @Test
    void modTakesIntegersOnlyAndCountsNegativesFromTheTop() {
        ModShardingAlgorithm mod = new ModShardingAlgorithm(4);
        assertThat(mod.bucketOf(10L)).hasValue(2);
        assertThat(mod.bucketOf("7")).hasValue(3);
        assertThat(mod.bucketOf(new BigDecimal("8.0"))).hasValue(0);
        assertThat(mod.bucketOf(-1L)).hasValue(3);
        assertThat(mod.bucketOf(new BigInteger("18446744073709551615"))).hasValue(3);
        assertThat(mod.bucketOf(2.5)).isEmpty();
        assertThat(mod.bucketOf("abc")).isEmpty();
        assertThat(mod.bucketOf(null)).hasValue(0);
        for (long key : new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1, -5, -4, 0, 3, Long.MAX_VALUE}) {
            assertThat(mod.bucketOf(key)).as("%d", key).isEqualTo(mod.bucketOf(BigInteger.valueOf(key)));
        }
    }

    @Test
    void modNarrowsShortRanges() {
        ModShardingAlgorithm mod = new ModShardingAlgorithm(8);
        assertThat(mod.bucketsBetween(3L, 5L)).isEqualTo(bits(3, 4, 5));
        assertThat(mod.bucketsBetween(new BigDecimal("2.5"), new BigDecimal("4.5"))).isEqualTo(bits(3, 4));
        assertThat(mod.bucketsBetween(7L, 9L)).isEqualTo(bits(7, 0, 1));
        assertThat(mod.bucketsBetween(5L, 3L)).isEqualTo(bits());
        assertThat(mod.bucketsBetween(0L, 100L)).isEqualTo(mod.allBuckets());
        assertThat(mod.bucketsBetween(null, 3L)).isEqualTo(mod.allBuckets());
    }

    @Test
    void rangeBucketsByBoundaries() {
        RangeShardingAlgorithm range = new RangeShardingAlgorithm(List.of(100L, 1000L));
        assertThat(range.buckets()).isEqualTo(3);
        assertThat(range.bucketOf(-5L)).hasValue(0);
        assertThat(range.bucketOf(99L)).hasValue(0);
        assertThat(range.bucketOf(100L)).hasValue(1);
        assertThat(range.bucketOf(new BigDecimal("999.99"))).hasValue(1);
        assertThat(range.bucketOf("1000")).hasValue(2);
        assertThat(range.bucketOf(null)).hasValue(0);
        assertThat(range.bucketOf("x")).isEmpty();
        assertThat(range.bucketsBetween(50L, 150L)).isEqualTo(bits(0, 1));
        assertThat(range.bucketsBetween(100L, null)).isEqualTo(bits(1, 2));
        assertThat(range.bucketsBetween(null, 99L)).isEqualTo(bits(0));
        assertThat(range.bucketsBetween(500L, 200L)).isEqualTo(bits());
    }

    @Test
    void dateBucketsByDayOrMonthSinceTheEpoch() {
        DateShardingAlgorithm days = new DateShardingAlgorithm(DateUnit.DAY, 8);
        // 2024-01-05 is day 19727 since 1970-01-01; 19727 mod 8 = 7.
        assertThat(days.bucketOf(LocalDate.of(2024, 1, 5))).hasValue(7);
        assertThat(days.bucketOf("2024-01-05 23:59:59")).hasValue(7);
        assertThat(days.bucketOf("2024-01-06")).hasValue(0);
        assertThat(days.bucketOf(LocalDate.of(1969, 12, 31))).hasValue(7);
        assertThat(days.bucketOf("soon")).isEmpty();
        assertThat(days.bucketsBetween("2024-01-05", "2024-01-07 12:00:00")).isEqualTo(bits(7, 0, 1));
        assertThat(days.bucketsBetween("2024-01-01", "2024-03-01")).isEqualTo(days.allBuckets());
        assertThat(days.bucketsBetween("2024-01-05", null)).isEqualTo(days.allBuckets());

        DateShardingAlgorithm months = new DateShardingAlgorithm(DateUnit.MONTH, 12);
        // 2024-03 is month 650 since 1970-01; 650 mod 12 = 2.
        assertThat(months.bucketOf(LocalDateTime.of(2024, 3, 31, 8, 0))).hasValue(2);
        assertThat(months.bucketsBetween("2024-03-15", "2024-05-01")).isEqualTo(bits(2, 3, 4));
    }

    @Test
    void bucketMapSpreadsBucketsInContiguousRuns() {
        BucketMap map = BucketMap.evenlySpread(1024, 4);
        assertThat(IntStream.of(0, 255, 256, 511, 512, 1023).map(map::nodeOf).toArray()).containsExactly(0, 0, 1, 1, 2, 3);
        BucketMap uneven = BucketMap.evenlySpread(3, 2);
        assertThat(IntStream.range(0, 3).map(uneven::nodeOf).toArray()).containsExactly(0, 0, 1);
        assertThat(map.nodesOf(bits(3, 300, 301))).isEqualTo(bits(0, 1));
    }

    private static int goldenOf(String canonicalText) {
        return bucketOfText(canonicalText, 1024);
    }

    private static int bucketOfText(String text, int buckets) {
        return (int) (Integer.toUnsignedLong(Murmur3Hash.hash32(bytes(text))) % buckets);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static BitSet bits(int... set) {
        BitSet bits = new BitSet();
        IntStream.of(set).forEach(bits::set);
        return bits;
    }
}
