package io.shardwire.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A logical schema as clients see it.
 *
 * @param name              the schema name clients use
 * @param defaultShardGroup where tables without a placement of their own live
 * @param tables            tables with explicit settings, by logical name (insertion order kept)
 */
public record SchemaConfig(String name, String defaultShardGroup, Map<String, TableConfig> tables) {

    public SchemaConfig {
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /** The table's explicit settings, if it has any. */
    public Optional<TableConfig> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    /** The shard group holding this table: its own placement, else the schema's default. */
    public String shardGroupOf(String table) {
        return table(table).map(TableConfig::shardGroup).orElse(defaultShardGroup);
    }
}
