package io.shardwire.config;

import io.shardwire.config.ShardingAlgorithmConfig.DateUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds the {@code schemas} section: data nodes, then tables with their kind, shard key,
 * algorithm, bucket count, data nodes, physical names and key generator. Part of {@link ConfigBinder};
 * the format is documented on {@link ConfigLoader}.
 */
final class SchemaBinder {

    // Schema, table, column and database names are used unquoted in SQL, hence MySQL's unquoted identifier characters.
    static final Pattern SQL_NAME = Pattern.compile("[A-Za-z0-9_$]+");
    private static final int DEFAULT_BUCKETS = 1024;
    // Large enough for any realistic re-balancing granularity, small enough that a bucket map stays a small array.
    private static final IntRule BUCKETS = IntRule.between(1, 65536);

    private final Set<String> groupNames;
    // Physical database name -> path of the data node that claims it, across all schemas: two schemas
    // sharing a database would see each other's physical tables.
    private final Map<String, String> databaseOwners = new HashMap<>();

    SchemaBinder(Set<String> groupNames) {
        this.groupNames = groupNames;
    }

    List<SchemaConfig> schemas(List<YamlNode> nodes) {
        List<SchemaConfig> schemas = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YamlNode node : nodes) {
            YamlMap s = node.asMap();
            s.onlyKeys("name", "defaultShardGroup", "dataNodes", "tables");
            String name = s.identifier("name", SQL_NAME);
            if (!names.add(name)) {
                throw s.error("name", "duplicate schema '" + name + "'");
            }
            String defaultGroup = s.string("defaultShardGroup");
            requireGroup(s, "defaultShardGroup", defaultGroup);
            List<DataNodeConfig> dataNodes = dataNodes(s.mapOrEmpty("dataNodes"));
            schemas.add(new SchemaConfig(name, defaultGroup, dataNodes,
                    new TableBinder(name, defaultGroup, dataNodes).tables(s.mapOrEmpty("tables"))));
        }
        return schemas;
    }

    private List<DataNodeConfig> dataNodes(YamlMap m) {
        List<DataNodeConfig> dataNodes = new ArrayList<>();
        for (Map.Entry<String, YamlNode> entry : m.entries().entrySet()) {
            String name = entry.getKey();
            YamlNode value = entry.getValue();
            if (!SQL_NAME.matcher(name).matches()) {
                throw value.error("invalid data node name (must match " + SQL_NAME.pattern() + ")");
            }
            String owner = databaseOwners.putIfAbsent(name, m.path() + "." + name);
            if (owner != null) {
                throw value.error("database '" + name + "' is already a data node at " + owner);
            }
            String group = m.string(name);
            requireGroup(m, name, group);
            dataNodes.add(new DataNodeConfig(name, group));
        }
        return dataNodes;
    }

    private void requireGroup(YamlMap m, String key, String group) {
        if (!groupNames.contains(group)) {
            throw m.error(key, "unknown shard group '" + group + "'");
        }
    }

    /** The tables of one schema; binding tables are bound after the tables they name, wherever those appear. */
    private final class TableBinder {

        private final String schema;
        private final String defaultGroup;
        private final Map<String, DataNodeConfig> dataNodes = new LinkedHashMap<>();
        // "group/database.table" -> path of the table using it: two logical tables on one physical table would mix rows.
        private final Map<String, String> physicalOwners = new HashMap<>();

        TableBinder(String schema, String defaultGroup, List<DataNodeConfig> dataNodes) {
            this.schema = schema;
            this.defaultGroup = defaultGroup;
            dataNodes.forEach(n -> this.dataNodes.put(n.name(), n));
        }

        Map<String, TableConfig> tables(YamlMap m) {
            Map<String, YamlMap> bodies = new LinkedHashMap<>();
            Map<String, TableConfig> bound = new HashMap<>();
            for (Map.Entry<String, YamlNode> entry : m.entries().entrySet()) {
                String table = entry.getKey();
                if (!SQL_NAME.matcher(table).matches()) {
                    throw entry.getValue().error("invalid table name (must match " + SQL_NAME.pattern() + ")");
                }
                // "orders:" with nothing after it is a table that takes every default.
                YamlMap t = entry.getValue().asMapOrEmpty();
                bodies.put(table, t);
                if (kind(t) != TableKind.BINDING) {
                    bound.put(table, table(table, t, bound));
                }
            }
            bodies.forEach((table, t) -> {
                if (kind(t) == TableKind.BINDING) {
                    bound.put(table, table(table, t, bound));
                }
            });
            Map<String, TableConfig> tables = new LinkedHashMap<>();
            bodies.keySet().forEach(table -> tables.put(table, bound.get(table)));
            return tables;
        }

        private static TableKind kind(YamlMap t) {
            return t.enumValue("kind", TableKind.SINGLE);
        }

        private TableConfig table(String name, YamlMap t, Map<String, TableConfig> others) {
            TableKind kind = kind(t);
            TableConfig table = switch (kind) {
                case SINGLE -> single(name, t);
                case BROADCAST -> broadcast(name, t);
                case SHARDED -> sharded(name, t);
                case BINDING -> binding(name, t, others);
            };
            claimPhysicalTables(t, table);
            return table;
        }

        private TableConfig single(String name, YamlMap t) {
            onlyKeys(t, TableKind.SINGLE, "kind", "shardGroup", "dataNode", "physicalTable");
            String physical = physicalTable(t, name, false);
            if (t.get("dataNode").isAbsent()) {
                String group = t.string("shardGroup", defaultGroup);
                requireGroup(t, "shardGroup", group);
                return new TableConfig(name, physical, new TablePlacement.Single(group, Optional.empty()), Optional.empty());
            }
            if (!t.get("shardGroup").isAbsent()) {
                throw t.error("shardGroup", "conflicts with dataNode, whose shard group is given under the schema's dataNodes");
            }
            DataNodeConfig node = dataNode(t.get("dataNode"));
            return new TableConfig(name, physical,
                    new TablePlacement.Single(node.shardGroup(), Optional.of(node.name())), Optional.empty());
        }

        private TableConfig broadcast(String name, YamlMap t) {
            onlyKeys(t, TableKind.BROADCAST, "kind", "physicalTable");
            if (dataNodes.isEmpty()) {
                throw t.error("kind", "a broadcast table needs the schema's dataNodes, and schema '" + schema + "' has none");
            }
            return new TableConfig(name, physicalTable(t, name, false),
                    new TablePlacement.Broadcast(List.copyOf(dataNodes.keySet())), Optional.empty());
        }

        private TableConfig sharded(String name, YamlMap t) {
            onlyKeys(t, TableKind.SHARDED,
                    "kind", "shardKey", "algorithm", "buckets", "dataNodes", "physicalTable", "keyGenerator");
            String shardKey = t.identifier("shardKey", SQL_NAME);
            ShardingAlgorithmConfig algorithm = algorithm(t.map("algorithm"));
            List<String> nodes = tableDataNodes(t);
            int buckets = buckets(t, algorithm, nodes.size());
            return new TableConfig(name, physicalTable(t, name, true),
                    new TablePlacement.Sharded(shardKey, new ShardingRuleConfig(algorithm, buckets, nodes), Optional.empty()),
                    keyGenerator(t));
        }

        private TableConfig binding(String name, YamlMap t, Map<String, TableConfig> others) {
            onlyKeys(t, TableKind.BINDING, "kind", "bindTo", "shardKey", "physicalTable", "keyGenerator");
            String bindTo = t.string("bindTo");
            TableConfig target = others.get(bindTo);
            if (target == null) {
                throw t.error("bindTo", "unknown table '" + bindTo + "' (expected a sharded table of schema '" + schema + "')");
            }
            if (target.kind() != TableKind.SHARDED) {
                throw t.error("bindTo", "must name a sharded table, but '" + bindTo + "' is "
                        + target.kind().name().toLowerCase(Locale.ROOT));
            }
            String shardKey = t.identifier("shardKey", SQL_NAME);
            ShardingRuleConfig rule = ((TablePlacement.Sharded) target.placement()).rule();
            return new TableConfig(name, physicalTable(t, name, true),
                    new TablePlacement.Sharded(shardKey, rule, Optional.of(bindTo)), keyGenerator(t));
        }

        private void onlyKeys(YamlMap t, TableKind kind, String... allowed) {
            t.onlyKeysFor("a " + kind.name().toLowerCase(Locale.ROOT) + " table", allowed);
        }

        private DataNodeConfig dataNode(YamlNode nameNode) {
            String name = nameNode.asString();
            DataNodeConfig node = dataNodes.get(name);
            if (node == null) {
                throw nameNode.error("unknown data node '" + name + "' (schema '" + schema + "' has "
                        + (dataNodes.isEmpty() ? "none" : String.join(", ", dataNodes.keySet())) + ")");
            }
            return node;
        }

        /** The table's own dataNodes list, or all of the schema's. */
        private List<String> tableDataNodes(YamlMap t) {
            if (t.get("dataNodes").isAbsent()) {
                if (dataNodes.isEmpty()) {
                    throw t.error("dataNodes", "required, since schema '" + schema + "' declares no dataNodes");
                }
                return List.copyOf(dataNodes.keySet());
            }
            List<String> nodes = new ArrayList<>();
            for (YamlNode n : t.list("dataNodes")) {
                String name = dataNode(n).name();
                if (nodes.contains(name)) {
                    throw n.error("duplicate data node '" + name + "'");
                }
                nodes.add(name);
            }
            return nodes;
        }

        private static ShardingAlgorithmConfig algorithm(YamlMap a) {
            AlgorithmType type = a.required("type").asEnum(AlgorithmType.class);
            return switch (type) {
                case MOD -> {
                    a.onlyKeysFor("the mod algorithm", "type");
                    yield new ShardingAlgorithmConfig.Mod();
                }
                case HASH -> {
                    a.onlyKeysFor("the hash algorithm", "type");
                    yield new ShardingAlgorithmConfig.Hash();
                }
                case RANGE -> {
                    a.onlyKeysFor("the range algorithm", "type", "boundaries");
                    yield new ShardingAlgorithmConfig.Range(boundaries(a.list("boundaries")));
                }
                case DATE -> {
                    a.onlyKeysFor("the date algorithm", "type", "unit");
                    YamlNode unit = a.required("unit");
                    yield new ShardingAlgorithmConfig.Date(unit.asEnum(DateUnit.class));
                }
            };
        }

        private static List<Long> boundaries(List<YamlNode> nodes) {
            List<Long> boundaries = new ArrayList<>();
            for (YamlNode node : nodes) {
                long value = node.asLong(IntRule.between(Long.MIN_VALUE, Long.MAX_VALUE));
                if (!boundaries.isEmpty() && value <= boundaries.getLast()) {
                    throw node.error("boundaries must be strictly increasing, but " + value
                            + " follows " + boundaries.getLast());
                }
                boundaries.add(value);
            }
            return boundaries;
        }

        private static int buckets(YamlMap t, ShardingAlgorithmConfig algorithm, int nodeCount) {
            if (algorithm instanceof ShardingAlgorithmConfig.Range range) {
                // A range rule's buckets are its ranges: one more than its boundaries.
                int ranges = range.boundaries().size() + 1;
                if (!t.get("buckets").isAbsent() && t.intValue("buckets", BUCKETS) != ranges) {
                    throw t.error("buckets", "must be left out or be " + ranges + " (one per range of the range algorithm)");
                }
                if (ranges < nodeCount) {
                    throw t.error("algorithm", "its " + ranges + " ranges cannot cover the " + nodeCount
                            + " dataNodes (expected: at least one range per data node)");
                }
                return ranges;
            }
            int buckets = t.intValue("buckets", DEFAULT_BUCKETS, BUCKETS);
            if (buckets < nodeCount) {
                throw t.error("buckets", "must be >= the number of dataNodes (" + nodeCount + "), got " + buckets);
            }
            return buckets;
        }

        private static Optional<KeyGeneratorConfig> keyGenerator(YamlMap t) {
            if (t.get("keyGenerator").isAbsent()) {
                return Optional.empty();
            }
            YamlMap k = t.map("keyGenerator");
            k.onlyKeys("column");
            return Optional.of(new KeyGeneratorConfig(k.identifier("column", SQL_NAME)));
        }

        /** The physical name pattern: default the logical name; {@code ${index}} only where there are several nodes. */
        private static String physicalTable(YamlMap t, String logical, boolean indexAllowed) {
            String physical = t.string("physicalTable", logical);
            boolean indexed = physical.contains(TableConfig.INDEX_PLACEHOLDER);
            if (indexed && !indexAllowed) {
                throw t.error("physicalTable", TableConfig.INDEX_PLACEHOLDER + " is only for sharded and binding tables");
            }
            if (!SQL_NAME.matcher(physical.replace(TableConfig.INDEX_PLACEHOLDER, "0")).matches()) {
                throw t.error("physicalTable", "must match " + SQL_NAME.pattern() + " (with "
                        + TableConfig.INDEX_PLACEHOLDER + " allowed in sharded tables), got '" + physical + "'");
            }
            return physical;
        }

        private void claimPhysicalTables(YamlMap t, TableConfig table) {
            List<String> places = new ArrayList<>();
            switch (table.placement()) {
                case TablePlacement.Single single -> places.add(single.shardGroup() + "/"
                        + single.dataNode().orElse(schema) + "." + table.physicalTable(0));
                case TablePlacement.Broadcast broadcast -> broadcast.dataNodes().forEach(n ->
                        places.add(dataNodes.get(n).shardGroup() + "/" + n + "." + table.physicalTable(0)));
                case TablePlacement.Sharded sharded -> {
                    List<String> nodes = sharded.rule().dataNodes();
                    for (int i = 0; i < nodes.size(); i++) {
                        places.add(dataNodes.get(nodes.get(i)).shardGroup() + "/" + nodes.get(i) + "." + table.physicalTable(i));
                    }
                }
            }
            for (String place : places) {
                String owner = physicalOwners.putIfAbsent(place, t.path());
                if (owner != null) {
                    throw t.error("physical table " + place.substring(place.indexOf('/') + 1) + " on shard group "
                            + place.substring(0, place.indexOf('/')) + " is also used by " + owner);
                }
            }
        }
    }

    /** The {@code type} of an {@code algorithm} mapping. */
    private enum AlgorithmType {
        MOD,
        HASH,
        RANGE,
        DATE
    }
}
