package io.shardwire.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.proxy.admin.AdminStatement.Kind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminStatementTest {

    @Test
    void recognisesEachStatementInAnyCaseSpacingAndComments() {
        assertThat(kind("SHOW SHARDWIRE GROUPS")).contains(Kind.SHOW_GROUPS);
        assertThat(kind("show shardwire tables;")).contains(Kind.SHOW_TABLES);
        assertThat(kind("  Show\n\tShardWire  Sessions ; ")).contains(Kind.SHOW_SESSIONS);
        assertThat(kind("/* from a tool */ SHOW SHARDWIRE CDC -- lag\n")).contains(Kind.SHOW_CDC);
        assertThat(kind("SHOW /* x */ SHARDWIRE # y\n QUEUE")).contains(Kind.SHOW_QUEUE);
        assertThat(kind("RELOAD SHARDWIRE CONFIG")).contains(Kind.RELOAD_CONFIG);
    }

    @Test
    void anythingElseAfterShowShardwireIsAnUnknownAdminStatement() {
        assertThat(kind("SHOW SHARDWIRE GROUP")).contains(Kind.UNKNOWN);
        assertThat(kind("SHOW SHARDWIRE")).contains(Kind.UNKNOWN);
        assertThat(kind("SHOW SHARDWIRE GROUPS LIKE 'g0'")).contains(Kind.UNKNOWN);
        assertThat(kind("RELOAD SHARDWIRE GROUPS")).contains(Kind.UNKNOWN);
        assertThat(kind("SHOW SHARDWIRE GROUPS; SELECT 1")).contains(Kind.UNKNOWN);
        assertThat(AdminStatement.parse("show shardwire groupz").orElseThrow().words())
                .containsExactly("SHOW", "SHARDWIRE", "GROUPZ");
    }

    @Test
    void otherStatementsAreNotAdminStatements() {
        assertThat(kind("SHOW TABLES")).isEmpty();
        assertThat(kind("SHOW DATABASES")).isEmpty();
        assertThat(kind("SELECT 'SHOW SHARDWIRE GROUPS'")).isEmpty();
        assertThat(kind("EXPLAIN SHARDWIRE SELECT 1")).isEmpty();
        assertThat(kind("SHOWSHARDWIRE GROUPS")).isEmpty();
        assertThat(kind("")).isEmpty();
        assertThat(kind("RELOAD")).isEmpty();
    }

    private static Optional<Kind> kind(String sql) {
        return AdminStatement.parse(sql).map(AdminStatement::kind);
    }
}
