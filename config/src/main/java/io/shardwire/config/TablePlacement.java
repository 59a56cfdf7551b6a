package io.shardwire.config;

import java.util.List;
import java.util.Optional;

/** Where a logical table's rows live; one variant per {@link TableKind}, binding being a {@link Sharded} with {@code bindTo}. */
public sealed interface TablePlacement {

    /**
     * The whole table on one database.
     *
     * @param shardGroup the shard group holding it
     * @param dataNode   the data node (physical database) holding it; empty for the database named
     *                   like the logical schema, which is how tables were placed before data nodes
     */
    record Single(String shardGroup, Optional<String> dataNode) implements TablePlacement {
    }

    /**
     * A full copy on each of these data nodes.
     *
     * @param dataNodes every data node of the schema, in file order
     */
    record Broadcast(List<String> dataNodes) implements TablePlacement {
        public Broadcast {
            dataNodes = List.copyOf(dataNodes);
        }
    }

    /**
     * Rows spread by a shard key.
     *
     * @param shardKey the column whose value picks the data node
     * @param rule     the algorithm, bucket count and data nodes; for a binding table, those of {@code bindTo}
     * @param bindTo   the sharded table this one is bound to, for a binding table
     */
    record Sharded(String shardKey, ShardingRuleConfig rule, Optional<String> bindTo) implements TablePlacement {
    }
}
