package io.shardwire.router.rule;

import io.shardwire.config.DataNodeConfig;
import io.shardwire.config.SchemaConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.config.TableConfig;
import io.shardwire.config.TablePlacement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every table's {@link TableRule}, built once from the configuration. A table the configuration
 * does not list is a single table on the schema's default shard group, in the database named like
 * the schema. Immutable and thread-safe.
 */
public final class ShardingRules {

    private final ShardwireConfig config;
    private final Map<String, Map<String, TableRule>> rulesBySchema = new HashMap<>();

    public ShardingRules(ShardwireConfig config) {
        this.config = config;
        for (SchemaConfig schema : config.schemas()) {
            Map<String, TableRule> rules = new HashMap<>();
            for (TableConfig table : schema.tables().values()) {
                rules.put(table.name(), rule(schema, table));
            }
            rulesBySchema.put(schema.name(), rules);
        }
    }

    /** The configuration the rules were built from. */
    public ShardwireConfig config() {
        return config;
    }

    /** The logical schema, if configured. */
    public Optional<SchemaConfig> schema(String name) {
        return config.schema(name);
    }

    /**
     * The rule of a table of a configured schema.
     *
     * @throws IllegalArgumentException if the schema is not configured
     */
    public TableRule rule(String schema, String table) {
        Map<String, TableRule> rules = rulesBySchema.get(schema);
        if (rules == null) {
            throw new IllegalArgumentException("unknown schema '" + schema + "'");
        }
        TableRule rule = rules.get(table);
        if (rule != null) {
            return rule;
        }
        return new SingleTableRule(schema, table, new PhysicalTable(defaultNode(schema), table));
    }

    /** Where statements of the schema that name no table of it go: its default group, in the database named like it. */
    public DataNode defaultNode(String schema) {
        SchemaConfig config = this.config.schema(schema)
                .orElseThrow(() -> new IllegalArgumentException("unknown schema '" + schema + "'"));
        return new DataNode(schema, config.defaultShardGroup());
    }

    private static TableRule rule(SchemaConfig schema, TableConfig table) {
        return switch (table.placement()) {
            case TablePlacement.Single single -> new SingleTableRule(schema.name(), table.name(), new PhysicalTable(
                    new DataNode(single.dataNode().orElse(schema.name()), single.shardGroup()), table.physicalTable(0)));
            case TablePlacement.Broadcast broadcast -> new BroadcastTableRule(schema.name(), table.name(),
                    physicalTables(schema, table, broadcast.dataNodes()));
            case TablePlacement.Sharded sharded -> new ShardedTableRule(schema.name(), table.name(), sharded.shardKey(),
                    ShardingAlgorithm.of(sharded.rule().algorithm(), sharded.rule().buckets()),
                    BucketMap.evenlySpread(sharded.rule().buckets(), sharded.rule().dataNodes().size()),
                    physicalTables(schema, table, sharded.rule().dataNodes()),
                    sharded.bindTo().orElse(table.name()),
                    table.keyGenerator().map(k -> k.column()));
        };
    }

    private static List<PhysicalTable> physicalTables(SchemaConfig schema, TableConfig table, List<String> nodeNames) {
        List<PhysicalTable> tables = new ArrayList<>();
        for (int i = 0; i < nodeNames.size(); i++) {
            DataNodeConfig node = schema.dataNode(nodeNames.get(i)).orElseThrow();
            tables.add(new PhysicalTable(new DataNode(node.name(), node.shardGroup()), table.physicalTable(i)));
        }
        return tables;
    }
}
