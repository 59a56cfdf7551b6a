package io.shardwire.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A logical schema as clients see it.
 *
 * @param name              the schema name clients use
 * @param defaultShardGroup where tables without a placement of their own live (in the database named {@code name})
 * @param dataNodes         the physical databases sharded, broadcast and single tables may use, in file order
 * @param tables            tables with explicit settings, by logical name (insertion order kept)
 */
public record SchemaConfig(String name, String defaultShardGroup, List<DataNodeConfig> dataNodes,
                           Map<String, TableConfig> tables) {

    public SchemaConfig {
        dataNodes = List.copyOf(dataNodes);
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /** A schema without data nodes, whose tables each live whole on a shard group. */
    public SchemaConfig(String name, String defaultShardGroup, Map<String, TableConfig> tables) {
        this(name, defaultShardGroup, List.of(), tables);
    }

    /** The table's explicit settings, if it has any. */
    public Optional<TableConfig> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    /** The data node with this name, if the schema declares it. */
    public Optional<DataNodeConfig> dataNode(String name) {
        return dataNodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /**
     * The shard group holding this non-sharded table: its own placement, else the schema's default.
     *
     * @throws IllegalStateException if the table is broadcast, sharded or binding (see {@link TableConfig#shardGroup()})
     */
    public String shardGroupOf(String table) {
        return table(table).map(TableConfig::shardGroup).orElse(defaultShardGroup);
    }
}
