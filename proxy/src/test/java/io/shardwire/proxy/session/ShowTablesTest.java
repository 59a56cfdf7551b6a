package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShowTablesTest {

    @Test
    void recognisesTheFormsTheProxyAnswers() {
        assertThat(ShowTables.parse("SHOW TABLES")).hasValue(new ShowTables(false, null, null, null));
        assertThat(ShowTables.parse("show full tables in `sh``op`;")).hasValue(new ShowTables(true, "sh`op", null, null));
        assertThat(ShowTables.parse("SHOW TABLES FROM shop LIKE 'ord%'")).hasValue(new ShowTables(false, "shop", "ord%", null));
        assertThat(ShowTables.parse("SHOW TABLES LIKE'it''s'")).hasValue(new ShowTables(false, null, "it's", null));
        assertThat(ShowTables.parse("SHOW FULL TABLES FROM shop WHERE Tables_in_shop = ';' ;"))
                .hasValue(new ShowTables(true, "shop", null, "Tables_in_shop = ';'"));
        assertThat(ShowTables.parse("SHOW TABLES LIKE 'a' WHERE 1")).isEmpty();
        assertThat(ShowTables.parse("SHOW TABLE STATUS")).isEmpty();
        assertThat(ShowTables.parse("SHOW TABLESX")).isEmpty();
    }

    @Test
    void commentsDoNotHideIt() {
        assertThat(ShowTables.parse("/* a */ SHOW /* b */ TABLES -- c")).hasValue(new ShowTables(false, null, null, null));
        assertThat(ShowTables.parse("SHOW /*!40000 FULL */ TABLES FROM shop"))
                .hasValue(new ShowTables(true, "shop", null, null));
    }

    @Test
    void whereRunsOverTheLogicalNamesTypedAsInformationSchemasNames() {
        var tables = new java.util.TreeMap<>(java.util.Map.of("orders", "BASE TABLE", "v", "VIEW"));
        String utf8 = " USING utf8mb3) COLLATE utf8mb3_general_ci";
        assertThat(new ShowTables(true, null, null, "Table_type = 'VIEW'").whereQuery("shop", tables))
                .isEqualTo("SELECT * FROM (SELECT CONVERT(X'6f7264657273'" + utf8 + " AS `Tables_in_shop`,"
                        + " CONVERT(X'42415345205441424c45'" + utf8 + " AS `Table_type` UNION ALL"
                        + " SELECT CONVERT(X'76'" + utf8 + " AS `Tables_in_shop`, CONVERT(X'56494557'" + utf8
                        + " AS `Table_type`) AS `tables` WHERE (Table_type = 'VIEW')"
                        + " ORDER BY `Tables_in_shop` COLLATE utf8mb3_bin");
        assertThat(new ShowTables(false, null, null, "1").whereQuery("s`q", new java.util.TreeMap<>()))
                .isEqualTo("SELECT * FROM (SELECT CONVERT(X''" + utf8 + " AS `Tables_in_s``q` FROM DUAL WHERE FALSE)"
                        + " AS `tables` WHERE (1) ORDER BY `Tables_in_s``q` COLLATE utf8mb3_bin");
    }

    @Test
    void aSubqueryInWhereIsFound() {
        assertThat(new ShowTables(false, null, null, "Tables_in_shop IN (select 'a')").whereHasSubquery()).isTrue();
        assertThat(new ShowTables(false, null, null, "Tables_in_shop = 'select'").whereHasSubquery()).isFalse();
        assertThat(new ShowTables(false, null, null, null).whereHasSubquery()).isFalse();
    }

    @Test
    void likeMatchesAsTheServerDoes() {
        List<String> tables = List.of("Orders", "a.b", "axb", "note", "notes", "order_items", "orderXitems", "orders");
        assertThat(new ShowTables(false, null, "ord%", null).matching(tables))
                .as("case-sensitive, as lower_case_table_names=0").containsExactly("order_items", "orderXitems", "orders");
        assertThat(new ShowTables(false, null, "note_", null).matching(tables)).containsExactly("notes");
        assertThat(new ShowTables(false, null, "order\\_items", null).matching(tables)).containsExactly("order_items");
        assertThat(new ShowTables(false, null, "a.b", null).matching(tables)).containsExactly("a.b");
        assertThat(new ShowTables(false, null, null, null).matching(tables)).isEqualTo(tables);
        assertThat(new ShowTables(false, null, "ord%", null).nameColumn("shop")).isEqualTo("Tables_in_shop (ord%)");
    }
}
