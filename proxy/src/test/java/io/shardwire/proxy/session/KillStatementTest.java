package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KillStatementTest {

    @Test
    void readsEachForm() {
        assertThat(KillStatement.parse("KILL 42")).contains(new KillStatement(false, 42));
        assertThat(KillStatement.parse("kill connection 7;")).contains(new KillStatement(false, 7));
        assertThat(KillStatement.parse("  /* why */ KILL QUERY 9 ")).contains(new KillStatement(true, 9));
    }

    @Test
    void otherStatementsAreNotKills() {
        assertThat(KillStatement.parse("SELECT 'KILL 1'")).isEmpty();
        assertThat(KillStatement.parse("KILL")).isEmpty();
        assertThat(KillStatement.parse("KILL QUERY")).isEmpty();
        assertThat(KillStatement.parse("KILL USER bob")).isEmpty();
        assertThat(KillStatement.parse("KILL 1 2")).isEmpty();
    }
}
