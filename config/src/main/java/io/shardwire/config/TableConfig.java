package io.shardwire.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Settings of one logical table.
 *
 * @param name          logical table name
 * @param physicalTable the table's name in each physical database; {@code ${index}} in it stands for the
 *                      position of the data node in the table's data node list ({@code orders_${index}})
 * @param placement     where its rows live
 * @param keyGenerator  a key column filled in on INSERT when absent; only on sharded and binding tables
 */
public record TableConfig(String name, String physicalTable, TablePlacement placement,
                          Optional<KeyGeneratorConfig> keyGenerator) {

    /** The placeholder in {@link #physicalTable} for a data node's position. */
    public static final String INDEX_PLACEHOLDER = "${index}";

    /**
     * A whole table on one shard group, in the database named like its logical schema: the
     * placement of every table before sharding rules existed.
     */
    public TableConfig(String name, String shardGroup) {
        this(name, name, new TablePlacement.Single(shardGroup, Optional.empty()), Optional.empty());
    }

    /** The table's kind, read off its placement. */
    public TableKind kind() {
        return switch (placement) {
            case TablePlacement.Single single -> TableKind.SINGLE;
            case TablePlacement.Broadcast broadcast -> TableKind.BROADCAST;
            case TablePlacement.Sharded sharded -> sharded.bindTo().isPresent() ? TableKind.BINDING : TableKind.SHARDED;
        };
    }

    /**
     * The shard group of a single table.
     *
     * @throws IllegalStateException for a broadcast, sharded or binding table, which spans data nodes
     */
    public String shardGroup() {
        if (placement instanceof TablePlacement.Single single) {
            return single.shardGroup();
        }
        throw new IllegalStateException("table " + name + " is " + kind().name().toLowerCase(Locale.ROOT)
                + ": it has no single shard group");
    }

    /** The physical table name on the data node at {@code index} of the table's data node list. */
    public String physicalTable(int index) {
        return physicalTable.replace(INDEX_PLACEHOLDER, Integer.toString(index));
    }
}
