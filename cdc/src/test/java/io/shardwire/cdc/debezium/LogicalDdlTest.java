package io.shardwire.cdc.debezium;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.cdc.event.LogicalTable;
import org.junit.jupiter.api.Test;

/** DDL read on a physical table, written in logical names. */
class LogicalDdlTest {

    private static final LogicalTable ORDERS = new LogicalTable("shop", "orders");

    private static String logical(String ddl) {
        return LogicalDdl.of(ddl, "shop_0", "orders_1", ORDERS);
    }

    @Test
    void qualifiedNamesQuotedOrNotBecomeTheLogicalTable() {
        assertThat(logical("ALTER TABLE `shop_0`.`orders_1` ADD COLUMN note VARCHAR(20)"))
                .isEqualTo("ALTER TABLE `shop`.`orders` ADD COLUMN note VARCHAR(20)");
        assertThat(logical("ALTER TABLE shop_0 . orders_1 DROP note"))
                .isEqualTo("ALTER TABLE `shop`.`orders` DROP note");
    }

    @Test
    void anUnqualifiedNameBecomesTheLogicalTableAlone() {
        assertThat(logical("CREATE TABLE orders_1 (id INT PRIMARY KEY, orders_1_note INT)"))
                .isEqualTo("CREATE TABLE `orders` (id INT PRIMARY KEY, orders_1_note INT)");
        assertThat(logical("ALTER TABLE orders_1 ADD CHECK (orders_1.id > 0)"))
                .isEqualTo("ALTER TABLE `orders` ADD CHECK (`orders`.id > 0)");
    }

    @Test
    void literalsCommentsAndOtherDatabasesKeepTheirText() {
        assertThat(logical("ALTER TABLE orders_1 COMMENT 'orders_1 is ''shop_0.orders_1''' /* orders_1 */"))
                .isEqualTo("ALTER TABLE `orders` COMMENT 'orders_1 is ''shop_0.orders_1''' /* orders_1 */");
        assertThat(logical("DROP TABLE shop_1.orders_1")).isEqualTo("DROP TABLE shop_1.orders_1");
        assertThat(logical("ALTER TABLE orders_1 ADD `a``b` INT -- orders_1\n"))
                .isEqualTo("ALTER TABLE `orders` ADD `a``b` INT -- orders_1\n");
    }
}
