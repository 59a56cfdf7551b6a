package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShowTablesTest {

    @Test
    void recognisesTheFormsTheProxyAnswers() {
        assertThat(ShowTables.parse("SHOW TABLES")).hasValue(new ShowTables(false, null, null));
        assertThat(ShowTables.parse("show full tables in `sh``op`;")).hasValue(new ShowTables(true, "sh`op", null));
        assertThat(ShowTables.parse("SHOW TABLES FROM shop LIKE 'ord%'")).hasValue(new ShowTables(false, "shop", "ord%"));
        assertThat(ShowTables.parse("SHOW TABLES LIKE'it''s'")).hasValue(new ShowTables(false, null, "it's"));
        assertThat(ShowTables.parse("SHOW TABLES WHERE Tables_in_shop = 'orders'")).isEmpty();
        assertThat(ShowTables.parse("SHOW TABLE STATUS")).isEmpty();
        assertThat(ShowTables.parse("SHOW TABLESX")).isEmpty();
    }

    @Test
    void commentsDoNotHideIt() {
        assertThat(ShowTables.parse("/* a */ SHOW /* b */ TABLES -- c")).hasValue(new ShowTables(false, null, null));
        assertThat(ShowTables.parse("SHOW /*!40000 FULL */ TABLES FROM shop"))
                .hasValue(new ShowTables(true, "shop", null));
    }

    @Test
    void likeMatchesAsTheServerDoes() {
        List<String> tables = List.of("Orders", "a.b", "axb", "note", "notes", "order_items", "orderXitems", "orders");
        assertThat(new ShowTables(false, null, "ord%").matching(tables))
                .as("case-sensitive, as lower_case_table_names=0").containsExactly("order_items", "orderXitems", "orders");
        assertThat(new ShowTables(false, null, "note_").matching(tables)).containsExactly("notes");
        assertThat(new ShowTables(false, null, "order\\_items").matching(tables)).containsExactly("order_items");
        assertThat(new ShowTables(false, null, "a.b").matching(tables)).containsExactly("a.b");
        assertThat(new ShowTables(false, null, null).matching(tables)).isEqualTo(tables);
        assertThat(new ShowTables(false, null, "ord%").nameColumn("shop")).isEqualTo("Tables_in_shop (ord%)");
    }
}
