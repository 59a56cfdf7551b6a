package io.shardwire.router.rule;

import java.util.BitSet;
import java.util.OptionalInt;

/**
 * {@code hash}: MurmurHash3 (x86, 32-bit, seed 0) of the key's {@linkplain CanonicalKey#bytes canonical
 * bytes}, taken as unsigned, modulo the bucket count. Places a value of any type; ranges are never
 * narrowed, since hashing does not keep order.
 */
public record HashShardingAlgorithm(int buckets) implements ShardingAlgorithm {

    @Override
    public OptionalInt bucketOf(Object value) {
        if (value == null) {
            return OptionalInt.of(0);
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
        return "any value";
    }
}
