package io.shardwire.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shardwire.config.ShardingAlgorithmConfig.DateUnit;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sharding part of a schema: data nodes and table kinds, their defaults and every validation error. */
class ShardingConfigTest {

    private static final List<String> ALL_NODES = List.of("shop_0", "shop_1", "shop_2", "shop_3");

    private static final String VALID = """
            server:
              users:
                - name: app
                  password: app
            shardGroups:
              - name: g0
                primary: {port: 3310, user: shardwire}
              - name: g1
                primary: {port: 3320, user: shardwire}
            schemas:
              - name: shop
                defaultShardGroup: g0
                dataNodes: {shop_0: g0, shop_1: g0, shop_2: g1, shop_3: g1}
                tables:
                  orders: {kind: sharded, shardKey: customer_id, algorithm: {type: hash}}
                  order_items: {kind: binding, bindTo: orders, shardKey: order_id}
                  tiers: {kind: sharded, shardKey: score, algorithm: {type: range, boundaries: [100, 1000]}, dataNodes: [shop_0, shop_2]}
                  countries: {kind: broadcast}
                  audit: {kind: single, dataNode: shop_3}
              - name: crm
                defaultShardGroup: g1
            """;

    @Test
    void readsEveryKindAndAlgorithm() {
        SchemaConfig shop = ConfigLoader.parse(resource("sharding.yaml"), "sharding.yaml").schema("shop").orElseThrow();

        assertThat(shop.dataNodes()).containsExactly(new DataNodeConfig("shop_0", "g0"), new DataNodeConfig("shop_1", "g0"),
                new DataNodeConfig("shop_2", "g1"), new DataNodeConfig("shop_3", "g1"));
        ShardingRuleConfig ordersRule = new ShardingRuleConfig(new ShardingAlgorithmConfig.Hash(), 1024, ALL_NODES);
        assertThat(shop.tables()).containsExactly(
                Map.entry("orders", new TableConfig("orders", "orders_${index}",
                        new TablePlacement.Sharded("customer_id", ordersRule, Optional.empty()),
                        Optional.of(new KeyGeneratorConfig("id")))),
                Map.entry("order_items", new TableConfig("order_items", "order_items",
                        new TablePlacement.Sharded("order_id", ordersRule, Optional.of("orders")), Optional.empty())),
                Map.entry("payments", new TableConfig("payments", "payments", new TablePlacement.Sharded("id",
                        new ShardingRuleConfig(new ShardingAlgorithmConfig.Mod(), 8, List.of("shop_1", "shop_3")),
                        Optional.empty()), Optional.empty())),
                Map.entry("events", new TableConfig("events", "events", new TablePlacement.Sharded("at",
                        new ShardingRuleConfig(new ShardingAlgorithmConfig.Date(DateUnit.MONTH), 1024, ALL_NODES),
                        Optional.empty()), Optional.empty())),
                Map.entry("tiers", new TableConfig("tiers", "tiers", new TablePlacement.Sharded("score",
                        new ShardingRuleConfig(new ShardingAlgorithmConfig.Range(List.of(100L, 1000L)), 3,
                                List.of("shop_0", "shop_2")),
                        Optional.empty()), Optional.empty())),
                Map.entry("countries", new TableConfig("countries", "countries",
                        new TablePlacement.Broadcast(ALL_NODES), Optional.empty())),
                Map.entry("audit", new TableConfig("audit", "audit",
                        new TablePlacement.Single("g1", Optional.of("shop_3")), Optional.empty())),
                Map.entry("legacy", new TableConfig("legacy", "g1")),
                Map.entry("plain", new TableConfig("plain", "g0")));
    }

    @Test
    void kindsAndGroupsOfTables() {
        SchemaConfig shop = ConfigLoader.parse(resource("sharding.yaml"), "sharding.yaml").schema("shop").orElseThrow();

        assertThat(shop.table("order_items").orElseThrow().kind()).isEqualTo(TableKind.BINDING);
        assertThat(shop.table("orders").orElseThrow().kind()).isEqualTo(TableKind.SHARDED);
        assertThat(shop.table("orders").orElseThrow().physicalTable(3)).isEqualTo("orders_3");
        assertThat(shop.shardGroupOf("audit")).isEqualTo("g1");
        assertThat(shop.shardGroupOf("legacy")).isEqualTo("g1");
        assertThat(shop.shardGroupOf("unlisted")).isEqualTo("g0");
        assertThatThrownBy(() -> shop.shardGroupOf("countries"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("table countries is broadcast: it has no single shard group");
    }

    @Test
    void baseConfigurationIsValid() {
        assertThat(ConfigLoader.parse(VALID, "shardwire.yaml").schema("shop").orElseThrow().tables()).hasSize(5);
    }

    @Test
    void dataNodeErrors() {
        assertThat(errorOf(edit("shop_3: g1}", "shop_3: g7}")))
                .hasMessage("shardwire.yaml: schemas[0].dataNodes.shop_3: unknown shard group 'g7'");
        assertThat(errorOf(edit("defaultShardGroup: g1\n", "defaultShardGroup: g1\n    dataNodes: {shop_1: g1}\n")))
                .hasMessage("shardwire.yaml: schemas[1].dataNodes.shop_1: database 'shop_1' is already a data node at "
                        + "schemas[0].dataNodes.shop_1");
        assertThat(errorOf(edit("{shop_0: g0,", "{shop-0: g0,")))
                .hasMessage("shardwire.yaml: schemas[0].dataNodes.shop-0: invalid data node name (must match [A-Za-z0-9_$]+)");
        assertThat(errorOf(edit("dataNode: shop_3}", "dataNode: shop_9}")))
                .hasMessage("shardwire.yaml: schemas[0].tables.audit.dataNode: unknown data node 'shop_9' "
                        + "(schema 'shop' has shop_0, shop_1, shop_2, shop_3)");
        assertThat(errorOf(edit("dataNodes: [shop_0, shop_2]", "dataNodes: [shop_0, shop_0]")))
                .hasMessage("shardwire.yaml: schemas[0].tables.tiers.dataNodes[1]: duplicate data node 'shop_0'");
        assertThat(errorOf(edit("dataNodes: [shop_0, shop_2]", "dataNodes: []")))
                .hasMessage("shardwire.yaml: schemas[0].tables.tiers.dataNodes: must have at least one entry");
    }

    @Test
    void tablesThatNeedDataNodesInASchemaWithout() {
        assertThat(errorOf(edit("defaultShardGroup: g1\n", "defaultShardGroup: g1\n    tables: {c: {kind: broadcast}}\n")))
                .hasMessage("shardwire.yaml: schemas[1].tables.c.kind: a broadcast table needs the schema's dataNodes, "
                        + "and schema 'crm' has none");
        assertThat(errorOf(edit("defaultShardGroup: g1\n",
                "defaultShardGroup: g1\n    tables: {c: {kind: sharded, shardKey: id, algorithm: {type: mod}}}\n")))
                .hasMessage("shardwire.yaml: schemas[1].tables.c.dataNodes: required, since schema 'crm' declares no dataNodes");
    }

    @Test
    void keysOfAnotherKindAreRefusedByName() {
        assertThat(errorOf(edit("countries: {kind: broadcast}", "countries: {kind: broadcast, shardKey: id}")))
                .hasMessage("shardwire.yaml: schemas[0].tables.countries.shardKey: unknown key for a broadcast table "
                        + "(expected one of: kind, physicalTable)");
        assertThat(errorOf(edit("bindTo: orders,", "bindTo: orders, buckets: 8,")))
                .hasMessage("shardwire.yaml: schemas[0].tables.order_items.buckets: unknown key for a binding table "
                        + "(expected one of: kind, bindTo, shardKey, physicalTable, keyGenerator)");
        assertThat(errorOf(edit("{kind: single, dataNode: shop_3}", "{kind: single, dataNode: shop_3, shardGroup: g1}")))
                .hasMessage("shardwire.yaml: schemas[0].tables.audit.shardGroup: conflicts with dataNode, "
                        + "whose shard group is given under the schema's dataNodes");
        assertThat(errorOf(edit("{kind: broadcast}", "{kind: replicated}")))
                .hasMessage("shardwire.yaml: schemas[0].tables.countries.kind: must be one of single, broadcast, sharded, "
                        + "binding, got 'replicated'");
    }

    @Test
    void shardedTableErrors() {
        assertThat(errorOf(edit("shardKey: customer_id, ", "")))
                .hasMessage("shardwire.yaml: schemas[0].tables.orders.shardKey: required");
        assertThat(errorOf(edit(", algorithm: {type: hash}}", "}")))
                .hasMessage("shardwire.yaml: schemas[0].tables.orders.algorithm: required");
        assertThat(errorOf(edit("{type: hash}", "{type: crc}")))
                .hasMessage("shardwire.yaml: schemas[0].tables.orders.algorithm.type: must be one of mod, hash, range, date, "
                        + "got 'crc'");
        assertThat(errorOf(edit("{type: hash}", "{type: hash, boundaries: [1]}")))
                .hasMessage("shardwire.yaml: schemas[0].tables.orders.algorithm.boundaries: unknown key for the hash "
                        + "algorithm (expected one of: type)");
        assertThat(errorOf(edit("{type: hash}", "{type: date}")))
                .hasMessage("shardwire.yaml: schemas[0].tables.orders.algorithm.unit: required");
        assertThat(errorOf(edit("{type: hash}", "{type: date, unit: week}")))
                .hasMessage("shardwire.yaml: schemas[0].tables.orders.algorithm.unit: must be one of day, month, got 'week'");
        assertThat(errorOf(edit("{type: hash}}", "{type: hash}, buckets: 3}")))
                .hasMessage("shardwire.yaml: schemas[0].tables.orders.buckets: must be >= the number of dataNodes (4), got 3");
        assertThat(errorOf(edit("{type: hash}}", "{type: hash}, buckets: 0}")))
                .hasMessage("shardwire.yaml: schemas[0].tables.orders.buckets: must be an integer in 1..65536, got '0'");
        assertThat(errorOf(edit("{type: hash}}", "{type: hash}, physicalTable: 'orders-${index}'}")))
                .hasMessage("shardwire.yaml: schemas[0].tables.orders.physicalTable: must match [A-Za-z0-9_$]+ "
                        + "(with ${index} allowed in sharded tables), got 'orders-${index}'");
        assertThat(errorOf(edit("{type: hash}}", "{type: hash}, keyGenerator: {}}")))
                .hasMessage("shardwire.yaml: schemas[0].tables.orders.keyGenerator.column: required");
        assertThat(errorOf(edit("{type: hash}}", "{type: hash}, keyGenerator: {column: id, step: 2}}")))
                .hasMessage("shardwire.yaml: schemas[0].tables.orders.keyGenerator.step: unknown key (expected one of: column)");
    }

    @Test
    void rangeBoundaries() {
        assertThat(errorOf(edit("[100, 1000]", "[100, 100]")))
                .hasMessage("shardwire.yaml: schemas[0].tables.tiers.algorithm.boundaries[1]: "
                        + "boundaries must be strictly increasing, but 100 follows 100");
        assertThat(errorOf(edit("[100, 1000]", "[100, x]")))
                .hasMessage("shardwire.yaml: schemas[0].tables.tiers.algorithm.boundaries[1]: must be an integer in "
                        + "-9223372036854775808..9223372036854775807, got 'x'");
        assertThat(errorOf(edit("[100, 1000]}", "[100, 1000]}, buckets: 1024")))
                .hasMessage("shardwire.yaml: schemas[0].tables.tiers.buckets: "
                        + "must be left out or be 3 (one per range of the range algorithm)");
        assertThat(errorOf(edit("[100, 1000]}, dataNodes: [shop_0, shop_2]", "[100]}")))
                .hasMessage("shardwire.yaml: schemas[0].tables.tiers.algorithm: its 2 ranges cannot cover the 4 dataNodes "
                        + "(expected: at least one range per data node)");
    }

    @Test
    void bindingErrors() {
        assertThat(errorOf(edit("bindTo: orders", "bindTo: order")))
                .hasMessage("shardwire.yaml: schemas[0].tables.order_items.bindTo: unknown table 'order' "
                        + "(expected a sharded table of schema 'shop')");
        assertThat(errorOf(edit("bindTo: orders", "bindTo: countries")))
                .hasMessage("shardwire.yaml: schemas[0].tables.order_items.bindTo: must name a sharded table, "
                        + "but 'countries' is broadcast");
        assertThat(errorOf(edit("      countries:", "      notes: {kind: binding, bindTo: order_items, shardKey: x}\n      countries:")))
                .hasMessage("shardwire.yaml: schemas[0].tables.notes.bindTo: must name a sharded table, "
                        + "but 'order_items' is binding");
    }

    @Test
    void bindingMayNameALaterTable() {
        String yaml = edit("      orders: {kind: sharded, shardKey: customer_id, algorithm: {type: hash}}\n"
                        + "      order_items: {kind: binding, bindTo: orders, shardKey: order_id}\n",
                "      order_items: {kind: binding, bindTo: orders, shardKey: order_id}\n"
                        + "      orders: {kind: sharded, shardKey: customer_id, algorithm: {type: hash}}\n");
        SchemaConfig shop = ConfigLoader.parse(yaml, "x").schema("shop").orElseThrow();

        assertThat(shop.tables().keySet()).startsWith("order_items", "orders");
        assertThat(shop.table("order_items").orElseThrow().placement())
                .isEqualTo(new TablePlacement.Sharded("order_id",
                        new ShardingRuleConfig(new ShardingAlgorithmConfig.Hash(), 1024, ALL_NODES), Optional.of("orders")));
    }

    @Test
    void physicalTablesMayNotCollide() {
        assertThat(errorOf(edit("{kind: broadcast}", "{kind: broadcast, physicalTable: orders}")))
                .hasMessage("shardwire.yaml: schemas[0].tables.countries: physical table shop_0.orders on shard group g0 "
                        + "is also used by schemas[0].tables.orders");
        assertThat(errorOf(edit("{kind: single, dataNode: shop_3}", "{kind: single, physicalTable: 'audit_${index}'}")))
                .hasMessage("shardwire.yaml: schemas[0].tables.audit.physicalTable: "
                        + "${index} is only for sharded and binding tables");
    }

    @Test
    void routerSettingsAndTheirDefaults() {
        assertThat(ConfigLoader.parse(VALID, "x").router()).isEqualTo(RouterConfig.DEFAULT);
        assertThat(ConfigLoader.parse(VALID + "router: {maxMemoryMergeRows: 10, maxMemoryMergeBytes: 4096, workerId: 1023, "
                + "textPlanCacheSize: 0}\n", "x")
                .router()).isEqualTo(new RouterConfig(10, 4096, 1023, 0));
        assertThat(errorOf(VALID + "router: {workerId: 1024}\n"))
                .hasMessage("shardwire.yaml: router.workerId: must be an integer in 0..1023, got '1024'");
        assertThat(errorOf(VALID + "router: {maxMemoryMergeRows: 0}\n"))
                .hasMessage("shardwire.yaml: router.maxMemoryMergeRows: must be an integer >= 1, got '0'");
    }

    /** {@link #VALID} with {@code from} (which must occur) replaced by {@code to}. */
    private static String edit(String from, String to) {
        assertThat(VALID).contains(from);
        return VALID.replace(from, to);
    }

    private static ConfigException errorOf(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "shardwire.yaml"));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e;
    }

    private static String resource(String name) {
        try (InputStream in = ShardingConfigTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
