package io.shardwire.router.rule;

import io.shardwire.config.ShardingAlgorithmConfig;
import java.util.BitSet;
import java.util.OptionalInt;

/**
 * Maps a shard key value to one of a fixed number of buckets. Stateless and thread-safe.
 * Values are those described on {@link CanonicalKey}; SQL NULL is in bucket 0 for every algorithm.
 */
public sealed interface ShardingAlgorithm
        permits ModShardingAlgorithm, HashShardingAlgorithm, RangeShardingAlgorithm, DateShardingAlgorithm {

    /** The algorithm for a configured rule. */
    static ShardingAlgorithm of(ShardingAlgorithmConfig config, int buckets) {
        return switch (config) {
            case ShardingAlgorithmConfig.Mod mod -> new ModShardingAlgorithm(buckets);
            case ShardingAlgorithmConfig.Hash hash -> new HashShardingAlgorithm(buckets);
            case ShardingAlgorithmConfig.Range range -> new RangeShardingAlgorithm(range.boundaries());
            case ShardingAlgorithmConfig.Date date -> new DateShardingAlgorithm(date.unit(), buckets);
        };
    }

    /** The number of buckets; every bucket is in {@code [0, buckets())}. */
    int buckets();

    /**
     * The bucket of the rows whose key equals {@code value}; empty if this algorithm cannot place
     * such a value (e.g. {@code 2.5} for {@code mod}), in which case the rows may be in any bucket.
     */
    OptionalInt bucketOf(Object value);

    /**
     * The buckets that may hold keys between {@code lower} and {@code upper}, both inclusive,
     * a null bound meaning unbounded; every bucket when the algorithm cannot narrow the range.
     */
    BitSet bucketsBetween(Object lower, Object upper);

    /** What {@link #bucketOf} accepts, for error messages: "an integer", "a DATE or DATETIME". */
    String accepts();

    /** A set holding every bucket. */
    default BitSet allBuckets() {
        BitSet all = new BitSet(buckets());
        all.set(0, buckets());
        return all;
    }
}
