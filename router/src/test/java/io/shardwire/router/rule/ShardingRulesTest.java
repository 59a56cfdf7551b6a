package io.shardwire.router.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.router.ShopConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShardingRulesTest {

    private final ShardingRules rules = new ShardingRules(ShopConfig.CONFIG);

    @Test
    void shardedTablesHaveOneSlicePerDataNodeWithTheirPhysicalNames() {
        ShardedTableRule orders = (ShardedTableRule) rules.rule("shop", "orders");

        assertThat(orders.slices()).extracting(PhysicalTable::toString)
                .containsExactly("shop_0.orders_0", "shop_1.orders_1", "shop_2.orders_2", "shop_3.orders_3");
        assertThat(orders.slices()).extracting(t -> t.node().shardGroup()).containsExactly("g0", "g0", "g1", "g1");
        assertThat(orders.keyColumn()).contains("id");
        assertThat(orders.isShardKey("CUSTOMER_ID")).isTrue();
        assertThat(orders.algorithm()).isEqualTo(new ModShardingAlgorithm(4));
    }

    @Test
    void bindingTablesShareTheGroupOfTheirTarget() {
        ShardedTableRule orders = (ShardedTableRule) rules.rule("shop", "orders");
        ShardedTableRule items = (ShardedTableRule) rules.rule("shop", "order_items");
        ShardedTableRule customers = (ShardedTableRule) rules.rule("shop", "customers");

        assertThat(items.isBoundTo(orders)).isTrue();
        assertThat(orders.isBoundTo(items)).isTrue();
        assertThat(customers.isBoundTo(orders)).isFalse();
        assertThat(items.bucketMap()).isEqualTo(orders.bucketMap());
        assertThat(items.keyColumn()).isEqualTo(Optional.empty());
    }

    @Test
    void otherKinds() {
        assertThat(rules.rule("shop", "countries")).isInstanceOfSatisfying(BroadcastTableRule.class,
                b -> assertThat(b.copies()).extracting(PhysicalTable::toString)
                        .containsExactly("shop_0.countries", "shop_1.countries", "shop_2.countries", "shop_3.countries"));
        assertThat(rules.rule("shop", "audit"))
                .isEqualTo(new SingleTableRule("shop", "audit", new PhysicalTable(new DataNode("shop_3", "g1"), "audit")));
        assertThat(rules.rule("shop", "archive"))
                .isEqualTo(new SingleTableRule("shop", "archive", new PhysicalTable(new DataNode("shop", "g1"), "archive")));
        assertThat(rules.rule("crm", "contacts").physicalTables())
                .isEqualTo(List.of(new PhysicalTable(new DataNode("crm", "g1"), "contacts")));
    }
}
