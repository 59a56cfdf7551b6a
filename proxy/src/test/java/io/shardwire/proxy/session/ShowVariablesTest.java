package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShowVariablesTest {

    @Test
    void recognisesEveryFormOfShowVariables() {
        assertThat(ShowVariables.parse("SHOW VARIABLES")).hasValue(new ShowVariables(null));
        assertThat(ShowVariables.parse("show global variables like 'max\\_allowed%';")).hasValue(new ShowVariables(null));
        assertThat(ShowVariables.parse("SHOW SESSION VARIABLES WHERE Value > 1000 ;"))
                .hasValue(new ShowVariables("Value > 1000"));
        assertThat(ShowVariables.parse("SHOW STATUS LIKE 'max_allowed_packet'")).isEmpty();
        assertThat(ShowVariables.parse("SHOW VARIABLESX")).isEmpty();
    }

    @Test
    void commentsAnywhereDoNotHideIt() {
        assertThat(ShowVariables.parse("SHOW /* x */ VARIABLES LIKE 'max%'")).hasValue(new ShowVariables(null));
        assertThat(ShowVariables.parse("/* a */ SHOW -- b\n GLOBAL # c\n VARIABLES/**/LIKE'max%'"))
                .hasValue(new ShowVariables(null));
        assertThat(ShowVariables.parse("SHOW /*!40000 SESSION */ VARIABLES /*M!100000 WHERE Value > 1 */"))
                .hasValue(new ShowVariables("Value > 1"));
        assertThat(ShowVariables.parse("SHOW VARIABLES WHERE/* c */Value > 1 -- d")).hasValue(new ShowVariables("Value > 1"));
        // A comment mark in a string is the string's.
        assertThat(ShowVariables.parse("SHOW VARIABLES WHERE Variable_name = '/* x */'"))
                .hasValue(new ShowVariables("Variable_name = '/* x */'"));
        assertThat(ShowVariables.parse("SHOW /* VARIABLES */ STATUS")).isEmpty();
    }

    @Test
    void theBackendsMaxAllowedPacketBecomesTheProxysInNameOrder() {
        List<List<String>> backend = List.of(List.of("max_allowed_packet", "16777216"),
                List.of("max_binlog_size", "1073741824"));
        assertThat(ShowVariables.withProxyLimit(backend, 1024, ShowVariables.lists(backend)))
                .containsExactly(List.of("max_allowed_packet", "1024"), List.of("max_binlog_size", "1073741824"));
        assertThat(ShowVariables.withProxyLimit(List.of(List.of("version", "11.4.5")), 1024, false))
                .containsExactly(List.of("version", "11.4.5"));
    }

    @Test
    void aWhereConditionOnTheValueDecidesByTheProxysValue() {
        ShowVariables show = ShowVariables.parse("SHOW VARIABLES WHERE Value < 2048").orElseThrow();
        assertThat(show.probe(1024)).isEqualTo("SELECT 1 FROM (SELECT 'max_allowed_packet' AS Variable_name,"
                + " '1024' AS Value) AS v WHERE Value < 2048");
        // The backend's 16 MiB did not pass the condition; the proxy's 1 KiB does, in its place by name.
        List<List<String>> backend = List.of(List.of("lock_wait_timeout", "60"), List.of("log_warnings", "2"),
                List.of("tmp_table_size", "16"));
        assertThat(ShowVariables.withProxyLimit(backend, 1024, true)).containsExactly(
                List.of("lock_wait_timeout", "60"), List.of("log_warnings", "2"), List.of("max_allowed_packet", "1024"),
                List.of("tmp_table_size", "16"));
        // And the other way round: the backend's value passed, the proxy's does not.
        assertThat(ShowVariables.withProxyLimit(List.of(List.of("max_allowed_packet", "16777216")), 1024, false))
                .isEmpty();
    }
}
