package io.shardwire.router.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.router.ShopConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogicalNamesTest {

    private final LogicalNames names = new LogicalNames(new ShardingRules(ShopConfig.CONFIG));

    @Test
    void slicesAndCopiesMapBackToTheirLogicalTable() {
        assertThat(names.of("shop_1", "orders_1")).isEqualTo(new LogicalNames.Name("shop", "orders"));
        assertThat(names.of("shop_3", "orders_3")).isEqualTo(new LogicalNames.Name("shop", "orders"));
    }

    @Test
    void everyBroadcastCopyButTheFirstIsRedundant() {
        BroadcastTableRule countries = (BroadcastTableRule) new ShardingRules(ShopConfig.CONFIG).rule("shop",
                "countries");
        PhysicalTable first = countries.copies().get(0);
        assertThat(names.isRedundantCopy(first.node().database(), first.table())).isFalse();
        assertThat(countries.copies().subList(1, countries.copies().size())).isNotEmpty().allSatisfy(copy ->
                assertThat(names.isRedundantCopy(copy.node().database(), copy.table())).isTrue());
        assertThat(names.isRedundantCopy("shop_1", "orders_1")).as("a slice of a sharded table").isFalse();
    }

    @Test
    void onlyTheFirstPhysicalTableOfALogicalTableReportsItsDdl() {
        ShardingRules rules = new ShardingRules(ShopConfig.CONFIG);
        for (String table : new String[] {"orders", "countries"}) {
            List<PhysicalTable> physical = rules.rule("shop", table).physicalTables();
            assertThat(physical).as(table).hasSizeGreaterThan(1);
            assertThat(names.isLaterPhysicalTable(physical.getFirst().node().database(), physical.getFirst().table()))
                    .as("%s's first physical table", table).isFalse();
            assertThat(physical.subList(1, physical.size())).allSatisfy(later ->
                    assertThat(names.isLaterPhysicalTable(later.node().database(), later.table())).isTrue());
        }
        assertThat(names.isLaterPhysicalTable("shop", "notes")).as("a table without a rule").isFalse();
    }

    @Test
    void unplacedTablesKeepTheirNameUnderTheLogicalSchema() {
        assertThat(names.of("shop", "notes")).isEqualTo(new LogicalNames.Name("shop", "notes"));
        assertThat(names.of("shop_2", "scratch")).isEqualTo(new LogicalNames.Name("shop", "scratch"));
    }

    @Test
    void databasesOutsideTheConfigurationKeepTheirNames() {
        assertThat(names.of("mysql", "user")).isEqualTo(new LogicalNames.Name("mysql", "user"));
    }

    @Test
    void dataNodeDatabasesMapToTheirSchema() {
        assertThat(names.schema("shop_2")).isEqualTo("shop");
        assertThat(names.schema("shop")).isEqualTo("shop");
        assertThat(names.schema("mysql")).isEqualTo("mysql");
    }
}
