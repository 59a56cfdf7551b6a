package io.shardwire.config;

import java.util.List;

/** How a shard key value becomes a bucket; the {@code algorithm} key of a sharded table. */
public sealed interface ShardingAlgorithmConfig {

    /** {@code {type: mod}}: an integer key modulo the number of buckets. */
    record Mod() implements ShardingAlgorithmConfig {
    }

    /** {@code {type: hash}}: a stable hash of the key's canonical bytes, for a key of any type. */
    record Hash() implements ShardingAlgorithmConfig {
    }

    /**
     * {@code {type: range, boundaries: [100, 1000]}}: bucket {@code i} holds the integer keys in
     * {@code [boundaries[i-1], boundaries[i])}, the first bucket everything below the first boundary
     * and the last everything from the last boundary on; so there are {@code boundaries + 1} buckets.
     *
     * @param boundaries strictly increasing
     */
    record Range(List<Long> boundaries) implements ShardingAlgorithmConfig {
        public Range {
            boundaries = List.copyOf(boundaries);
        }
    }

    /**
     * {@code {type: date, unit: day|month}}: a DATE or DATETIME key's days (or months) since
     * 1970-01-01, modulo the number of buckets, so consecutive days (months) fill consecutive buckets.
     *
     * @param unit the width of one bucket
     */
    record Date(DateUnit unit) implements ShardingAlgorithmConfig {
    }

    /** The time span one bucket of a {@link Date} algorithm covers. */
    enum DateUnit {
        DAY,
        MONTH
    }
}
