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
    void whatAWhereMayNotSendToABackendIsRefusedByName() {
        assertThat(refusal("Tables_in_shop IN (select 'a')")).hasValue("a subquery");
        assertThat(refusal("Tables_in_shop = (SELECT user FROM mysql.user LIMIT 1)")).hasValue("a subquery");
        assertThat(refusal("LOAD_FILE('/etc/passwd') IS NOT NULL")).hasValue("the function LOAD_FILE");
        assertThat(refusal("SLEEP(5) = 0")).hasValue("the function SLEEP");
        assertThat(refusal("mysql.user.user = 'root'")).hasValue("the qualified column mysql.user.user");
        assertThat(refusal("Tables_in_shop = 'a\\' OR 1")).hasValueSatisfying(r -> assertThat(r).startsWith("a backslash"));
        // The client's text never reaches the backend: one that closes the proxy's parenthesis is not a condition.
        assertThat(refusal("1) UNION ALL SELECT user FROM mysql.user WHERE (1"))
                .hasValueSatisfying(r -> assertThat(r).startsWith("a condition the proxy cannot read"));
        assertThat(refusal("1) ORDER BY 1 -- ")).hasValueSatisfying(r -> assertThat(r).startsWith("a condition the proxy"));
    }

    @Test
    void conditionsOverTheRowsColumnsGoAsWrittenBackFromTheirTree() {
        for (String where : List.of("Tables_in_shop = 'select'", "`Tables_in_shop` LIKE 'ord%' ESCAPE '!'",
                "Table_type <> 'VIEW' AND NOT (Tables_in_shop IN ('a', 'b') OR Tables_in_shop IS NULL)",
                "LOWER(Tables_in_shop) BETWEEN 'a' AND 'p'", "CHAR_LENGTH(Tables_in_shop) > 3 XOR TRUE",
                "Tables_in_shop REGEXP '^o'")) {
            assertThat(refusal(where)).as(where).isEmpty();
        }
        assertThat(new ShowTables(false, null, null, null).whereRefusal()).isEmpty();
        assertThat(ShowTablesWhere.read("  Tables_in_shop   =  'a''b' /* c */").sql()).isEqualTo("Tables_in_shop = 'a''b'");
    }

    private static java.util.Optional<String> refusal(String where) {
        return new ShowTables(false, null, null, where).whereRefusal();
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
