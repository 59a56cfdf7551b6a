package io.shardwire.router.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.router.ShopConfig;
import io.shardwire.router.rule.ShardingRules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The logical view of information_schema over {@code shop.yaml}: which rows it keeps, how it renames them. */
class InformationSchemaViewTest {

    private final InformationSchemaView view = new InformationSchemaView(new ShardingRules(ShopConfig.CONFIG));
    private final Map<String, List<String>> columns = Map.of(
            "TABLES", List.of("TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "TABLE_TYPE"),
            "COLUMNS", List.of("TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "COLUMN_TYPE", "DATA_TYPE", "NUMERIC_SCALE"));

    private String rewrite(String sql) {
        return view.rewrite(sql, "shop", List.of("shop"), "g0", columns).orElseThrow();
    }

    @Test
    void mayReadFindsTheSchemaNameInAnyCaseAndNothingElse() {
        assertThat(InformationSchemaView.mayRead("SELECT * FROM information_schema.TABLES")).isTrue();
        assertThat(InformationSchemaView.mayRead("select 1 from `INFORMATION_SCHEMA`.columns")).isTrue();
        assertThat(InformationSchemaView.mayRead("information_schema")).isTrue();
        assertThat(InformationSchemaView.mayRead("SELECT c FROM sbtest1 WHERE id = 1")).isFalse();
        assertThat(InformationSchemaView.mayRead("SELECT information FROM my_schema")).isFalse();
        assertThat(InformationSchemaView.mayRead("_schema")).isFalse();
    }

    @Test
    void viewedTablesBecomeDerivedTablesWithLogicalNames() {
        String sql = rewrite("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop' ORDER BY TABLE_NAME");
        assertThat(sql).startsWith("SELECT TABLE_NAME FROM (SELECT TABLE_CATALOG AS `TABLE_CATALOG`, CASE TABLE_SCHEMA WHEN 'shop_0' THEN 'shop'")
                .contains("WHEN 'shop_0.orders_0' THEN 'orders'")
                .contains("WHERE TABLE_SCHEMA IN ('shop', 'information_schema') OR CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) IN (")
                .endsWith(") AS `TABLES` WHERE TABLE_SCHEMA = 'shop' ORDER BY TABLE_NAME");
        // Only one physical copy of each logical table is kept: the first on the group.
        assertThat(sql).contains("'shop_0.orders_0'").doesNotContain("IN ('shop_0.orders_0', 'shop_1.orders_1'");
    }

    @Test
    void theQueriesOfMariaDbConnectorJParse() {
        String sql = rewrite("SELECT TABLE_SCHEMA TABLE_CAT, NULL TABLE_SCHEM, TABLE_NAME, COLUMN_NAME, "
                + "CONVERT (CASE DATA_TYPE WHEN 'year' THEN NUMERIC_SCALE ELSE NUMERIC_SCALE END, UNSIGNED INTEGER) DECIMAL_DIGITS,"
                + " UCASE(IF( COLUMN_TYPE LIKE '%(%)%', CONCAT(SUBSTRING( COLUMN_TYPE,1, LOCATE('(',COLUMN_TYPE) - 1 ),"
                + " SUBSTRING(COLUMN_TYPE ,1+locate(')', COLUMN_TYPE))), COLUMN_TYPE)) TYPE_NAME"
                + " FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME LIKE 'orders' ESCAPE '\\\\'"
                + " ORDER BY TABLE_CAT, TABLE_SCHEM, TABLE_NAME, ORDINAL_POSITION");
        assertThat(sql).contains("FROM (SELECT CASE TABLE_SCHEMA").contains(") AS `COLUMNS` WHERE");
        assertThat(rewrite("SELECT c.TABLE_NAME FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = 'shop'"))
                .endsWith(" c WHERE c.TABLE_SCHEMA = 'shop'").doesNotContain("AS `COLUMNS`");
    }

    @Test
    void theCurrentSchemaIsTheSessionsLogicalOne() {
        // As Rails and schema tools ask; the backend would answer its own database.
        assertThat(rewrite("SELECT table_name FROM information_schema.tables WHERE table_schema = database() AND"
                + " table_type = 'BASE TABLE' AND x.SCHEMA() = 'DATABASE()' /* schema() */"))
                .endsWith(" WHERE table_schema = 'shop' AND table_type = 'BASE TABLE' AND x.SCHEMA() = 'DATABASE()'"
                        + " /* schema() */");
        assertThat(view.rewrite("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = SCHEMA ( )", null,
                List.of("shop"), "g0", columns).orElseThrow()).endsWith(" WHERE TABLE_SCHEMA = NULL");
        assertThat(view.rewrite("SELECT DATABASE() FROM information_schema.PROCESSLIST", "shop", List.of("shop"), "g0",
                columns)).as("no viewed table").isEmpty();
    }

    @Test
    void otherStatementsAreLeftAlone() {
        assertThat(view.rewrite("SELECT * FROM information_schema.PROCESSLIST", "shop", List.of("shop"), "g0", columns)).isEmpty();
        assertThat(view.rewrite("SELECT 'information_schema.TABLES' FROM orders", "shop", List.of("shop"), "g0", columns)).isEmpty();
    }
}
