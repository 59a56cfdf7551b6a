package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** How a statement the global deadlock detector interrupted reports itself, and only that statement. */
class SessionBackendsDeadlockTest {

    private static final SQLException INTERRUPTED = new SQLException("Query execution was interrupted", "70100", 1317);

    /** No backend is touched by what is tested here. */
    private final SessionBackends backends = new SessionBackends(7, null, false, null, lost -> { }, code -> { });

    @Test
    void theInterruptedStatementOfAVictimFailsAsADeadlock() {
        backends.chosenAsDeadlockVictim("Deadlock found when trying to get lock; try restarting transaction (g0, g1)");

        SQLException reported = backends.deadlockOr(INTERRUPTED);

        assertThat(reported.getErrorCode()).isEqualTo(1213);
        assertThat(reported.getSQLState()).isEqualTo("40001");
        assertThat(reported.getMessage()).endsWith("(g0, g1)");
        assertThat(reported.getCause()).isSameAs(INTERRUPTED);
        assertThat((Object) backends.deadlockOr(INTERRUPTED)).as("the mark serves once").isSameAs(INTERRUPTED);
    }

    @Test
    void anInterruptionWithoutTheMarkIsAPlainKill() {
        assertThat((Object) backends.deadlockOr(INTERRUPTED)).isSameAs(INTERRUPTED);
    }

    @Test
    void anotherErrorOfAVictimIsReportedAsItIs() {
        backends.chosenAsDeadlockVictim("deadlock");
        SQLException duplicate = new SQLException("Duplicate entry '1' for key 'PRIMARY'", "23000", 1062);

        assertThat((Object) backends.deadlockOr(duplicate)).isSameAs(duplicate);
    }

    @Test
    void aMarkTheStatementDidNotUseEndsWithIt() {
        backends.chosenAsDeadlockVictim("deadlock");
        backends.notRunning();

        assertThat((Object) backends.deadlockOr(INTERRUPTED)).as("a later KILL QUERY of the user's")
                .isSameAs(INTERRUPTED);
    }

    @Test
    void aMarkTakenBackIsNoMark() {
        backends.chosenAsDeadlockVictim("deadlock");
        backends.chosenAsDeadlockVictim(null);

        assertThat((Object) backends.deadlockOr(INTERRUPTED)).isSameAs(INTERRUPTED);
    }
}
