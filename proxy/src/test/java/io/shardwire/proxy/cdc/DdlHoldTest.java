package io.shardwire.proxy.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which statements the hold waits on; the wait for streaming captures itself is in it/SnapshotDdlHoldIT. */
class DdlHoldTest {

    private final DdlHold notStarted = new DdlHold(true, Optional::empty, Duration.ofMillis(50));

    @Test
    void ddlWaitsForCapturesThatHaveNotStartedAndIsRefusedSayingWhy() {
        for (String ddl : new String[] {"CREATE TABLE t (id INT)", "  alter table t add c int",
                "/* c */ DROP TABLE t", "TRUNCATE t", "RENAME TABLE a TO b"}) {
            assertThat(notStarted.await(ddl)).as(ddl).hasValueSatisfying(why -> assertThat(why)
                    .contains("DDL is held while change capture takes its first snapshot", "has not started",
                            "SHOW SHARDWIRE CDC"));
        }
    }

    @Test
    void otherStatementsAreNeverHeld() {
        for (String sql : new String[] {"SELECT 1", "INSERT INTO t VALUES (1)", "UPDATE t SET created = 1",
                "SHOW CREATE TABLE t", "SET @drop = 1"}) {
            assertThat(notStarted.await(sql)).as(sql).isEmpty();
        }
    }

    @Test
    void withoutChangeCaptureNothingIsHeld() {
        assertThat(new DdlHold(false, Optional::empty, Duration.ofMillis(50)).await("CREATE TABLE t (id INT)"))
                .isEmpty();
    }
}
