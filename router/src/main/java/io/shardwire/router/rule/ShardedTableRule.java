package io.shardwire.router.rule;

import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * A table whose rows are spread over data nodes: shard key value -> bucket by the algorithm,
 * bucket -> node index by the bucket map, node index -> slice.
 *
 * @param schema       logical schema
 * @param table        logical table
 * @param shardKey     the shard key column
 * @param algorithm    key value -> bucket
 * @param bucketMap    bucket -> index into {@code slices}
 * @param slices       the physical table on each data node, by node index
 * @param bindingGroup the sharded table this one is bound to, or its own name; tables with the same
 *                     schema and binding group place equal key values on the same node
 * @param keyColumn    the column filled with a generated key when an INSERT leaves it out
 */
public record ShardedTableRule(String schema, String table, String shardKey, ShardingAlgorithm algorithm,
                               BucketMap bucketMap, List<PhysicalTable> slices, String bindingGroup,
                               Optional<String> keyColumn) implements TableRule {

    public ShardedTableRule {
        slices = List.copyOf(slices);
    }

    @Override
    public List<PhysicalTable> physicalTables() {
        return slices;
    }

    /** Whether rows of both tables with equal shard keys are always on the same node. */
    public boolean isBoundTo(ShardedTableRule other) {
        return schema.equals(other.schema) && bindingGroup.equals(other.bindingGroup);
    }

    /** Whether {@code column} (unquoted) names the shard key; MySQL column names ignore case. */
    public boolean isShardKey(String column) {
        return shardKey.equalsIgnoreCase(column);
    }

    /** The node indexes holding any of the buckets. */
    public BitSet nodesOf(BitSet buckets) {
        return bucketMap.nodesOf(buckets);
    }
}
