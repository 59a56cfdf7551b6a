package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

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
        ShowTables orders = new ShowTables(false, null, "ord%");
        assertThat(orders.matches("orders")).isTrue();
        assertThat(orders.matches("order_items")).isTrue();
        assertThat(orders.matches("Orders")).as("case-sensitive, as lower_case_table_names=0").isFalse();
        assertThat(orders.matches("tiers")).isFalse();
        ShowTables oneChar = new ShowTables(false, null, "note_");
        assertThat(oneChar.matches("notes")).isTrue();
        assertThat(oneChar.matches("note")).isFalse();
        ShowTables escaped = new ShowTables(false, null, "order\\_items");
        assertThat(escaped.matches("order_items")).isTrue();
        assertThat(escaped.matches("orderXitems")).isFalse();
        ShowTables regexChars = new ShowTables(false, null, "a.b");
        assertThat(regexChars.matches("a.b")).isTrue();
        assertThat(regexChars.matches("axb")).isFalse();
        assertThat(new ShowTables(false, null, null).matches("anything")).isTrue();
        assertThat(orders.nameColumn("shop")).isEqualTo("Tables_in_shop (ord%)");
    }
}
