package io.shardwire.router.rule;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Bucket -> data node index. Built spread evenly over the data nodes in order: bucket {@code b}
 * goes to node {@code b * nodes / buckets}, so each node owns a contiguous run of buckets. Kept as
 * an explicit table so that buckets can later move between nodes without rehashing keys. Immutable.
 */
public final class BucketMap {

    private final int[] nodeOfBucket;
    private final int nodes;

    private BucketMap(int[] nodeOfBucket, int nodes) {
        this.nodeOfBucket = nodeOfBucket;
        this.nodes = nodes;
    }

    /**
     * The even spread of {@code buckets} buckets over {@code nodes} nodes.
     *
     * @throws IllegalArgumentException unless {@code 1 <= nodes <= buckets}
     */
    public static BucketMap evenlySpread(int buckets, int nodes) {
        if (nodes < 1 || buckets < nodes) {
            throw new IllegalArgumentException("buckets: " + buckets + ", nodes: " + nodes + " (expected: 1 <= nodes <= buckets)");
        }
        int[] map = new int[buckets];
        for (int b = 0; b < buckets; b++) {
            map[b] = (int) ((long) b * nodes / buckets);
        }
        return new BucketMap(map, nodes);
    }

    public int buckets() {
        return nodeOfBucket.length;
    }

    /** The index of the data node owning {@code bucket}. */
    public int nodeOf(int bucket) {
        return nodeOfBucket[bucket];
    }

    /** The indexes of the data nodes owning any of {@code buckets}. */
    public BitSet nodesOf(BitSet buckets) {
        BitSet result = new BitSet(nodes);
        for (int b = buckets.nextSetBit(0); b >= 0; b = buckets.nextSetBit(b + 1)) {
            result.set(nodeOfBucket[b]);
        }
        return result;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BucketMap other && Arrays.equals(nodeOfBucket, other.nodeOfBucket);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(nodeOfBucket);
    }

    @Override
    public String toString() {
        return "BucketMap[" + nodeOfBucket.length + " buckets over " + nodes + " nodes]";
    }
}
