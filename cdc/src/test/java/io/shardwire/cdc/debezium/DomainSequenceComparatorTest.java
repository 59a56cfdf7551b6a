package io.shardwire.cdc.debezium;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.connector.mariadb.gtid.MariaDbGtidSetFactory;
import io.debezium.connector.mariadb.history.MariaDbHistoryRecordComparator;
import io.debezium.relational.history.HistoryRecord;
import io.debezium.relational.history.HistoryRecordComparator;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which history entries recovery applies: those at or before the stored position, across a failover too. */
class DomainSequenceComparatorTest {

    private static final HistoryRecordComparator DEBEZIUM =
            new MariaDbHistoryRecordComparator(null, new MariaDbGtidSetFactory());
    private static final DomainSequenceComparator COMPARATOR = new DomainSequenceComparator(DEBEZIUM);

    @Test
    void anEntryOfTheOldPrimaryIsBeforeAPositionThePromotedReplicaWrote() {
        HistoryRecord table = at("cdc-g0", Map.of("gtids", "0-100-5", "snapshot", "INITIAL"));
        HistoryRecord stored = at("cdc-g0", Map.of("gtids", "0-101-443", "event", 1));
        assertThat(DEBEZIUM.isAtOrBefore(table, stored)).as("Debezium's own comparator, the cause").isFalse();
        assertThat(COMPARATOR.isAtOrBefore(table, stored)).isTrue();
    }

    @Test
    void anEntryWithAHigherSequenceIsAfterWhicheverServerWroteIt() {
        HistoryRecord stored = at("cdc-g0", Map.of("gtids", "0-100-300"));
        assertThat(COMPARATOR.isAtOrBefore(at("cdc-g0", Map.of("gtids", "0-101-310")), stored)).isFalse();
        assertThat(COMPARATOR.isAtOrBefore(at("cdc-g0", Map.of("gtids", "0-100-301")), stored)).isFalse();
        assertThat(COMPARATOR.isAtOrBefore(at("cdc-g0", Map.of("gtids", "0-100-299")), stored)).isTrue();
    }

    @Test
    void theHighestSequenceOfEachDomainIsItsPosition() {
        HistoryRecord stored = at("cdc-g0", Map.of("gtids", "0-100-300,0-101-443"));
        assertThat(COMPARATOR.isAtOrBefore(at("cdc-g0", Map.of("gtids", "0-100-400")), stored)).isTrue();
        assertThat(COMPARATOR.isAtOrBefore(at("cdc-g0", Map.of("gtids", "0-101-444")), stored)).isFalse();
    }

    @Test
    void withinOneTransactionTheEventsReadDecideAsInDebezium() {
        HistoryRecord stored = at("cdc-g0", Map.of("gtids", "0-101-443", "event", 2));
        assertThat(COMPARATOR.isAtOrBefore(at("cdc-g0", Map.of("gtids", "0-101-443", "event", 1)), stored)).isTrue();
        assertThat(COMPARATOR.isAtOrBefore(at("cdc-g0", Map.of("gtids", "0-101-443", "event", 3)), stored)).isFalse();
    }

    @Test
    void anotherCapturesEntryIsNeverBefore() {
        HistoryRecord stored = at("cdc-g0", Map.of("gtids", "0-101-443"));
        assertThat(COMPARATOR.isAtOrBefore(at("cdc-g1", Map.of("gtids", "0-100-5")), stored)).isFalse();
    }

    @Test
    void positionsWithoutGtidsAreLeftToDebezium() {
        Map<String, Object> early = new HashMap<>(Map.of("file", "binlog.000001", "pos", 100, "server_id", 100));
        Map<String, Object> late = new HashMap<>(Map.of("file", "binlog.000002", "pos", 4, "server_id", 100));
        assertThat(COMPARATOR.isAtOrBefore(at("cdc-g0", early), at("cdc-g0", late))).isTrue();
        assertThat(COMPARATOR.isAtOrBefore(at("cdc-g0", late), at("cdc-g0", early))).isFalse();
        assertThat(COMPARATOR.isAtOrBefore(at("cdc-g0", early), at("cdc-g0", Map.of("gtids", "0-101-1")))).isTrue();
    }

    private static HistoryRecord at(String server, Map<String, ?> position) {
        return new HistoryRecord(Map.of("server", server), position, "db", null, "CREATE TABLE t (id INT)", null,
                Instant.EPOCH);
    }
}
