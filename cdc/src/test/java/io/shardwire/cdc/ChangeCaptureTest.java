package io.shardwire.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.EventTransaction;
import io.shardwire.cdc.event.LogicalTable;
import io.shardwire.cdc.event.Operation;
import io.shardwire.cdc.event.PhysicalToLogical;
import io.shardwire.cdc.source.CaptureRefusedException;
import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.log.LogRecord;
import io.shardwire.mq.log.RecordBatch;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.management.ObjectName;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Captures from a real mariadbd into a real queue: what lands in the queue, and how it is batched. */
class ChangeCaptureTest {

    @Test
    void insertUpdateDeleteEachAppearOnceWithTheirImagesInCommitOrder() throws Exception {
        try (CaptureFixture fixture = CaptureFixture.create("iud")) {
            String items = fixture.table("items");
            SharedCluster.execute("CREATE TABLE " + items
                    + " (id INT PRIMARY KEY, name VARCHAR(40), price DECIMAL(10,2))");
            fixture.startCapture();

            SharedCluster.execute(
                    "INSERT INTO " + items + " VALUES (1, 'apple', 1.50)",
                    "UPDATE " + items + " SET price = 2.25 WHERE id = 1",
                    "DELETE FROM " + items + " WHERE id = 1");

            fixture.awaitAtLeast(3);
            Thread.sleep(500); // anything extra, such as a duplicate, would arrive now
            List<ChangeLog.Stored> stored = fixture.read();
            List<ChangeEvent> events = ChangeLog.events(stored);
            assertThat(events).extracting(ChangeEvent::op)
                    .containsExactly(Operation.CREATE, Operation.UPDATE, Operation.DELETE);

            ChangeEvent insert = events.get(0);
            assertThat(insert.schema()).isEqualTo(fixture.database);
            assertThat(insert.table()).isEqualTo("items");
            assertThat(insert.key()).hasToString("{\"id\":1}");
            assertThat(insert.before()).isEmpty();
            assertThat(insert.after()).hasValueSatisfying(
                    after -> assertThat(after).hasToString("{\"id\":1,\"name\":\"apple\",\"price\":\"1.50\"}"));
            assertThat(insert.source().group()).isEqualTo("g0");
            assertThat(insert.source().snapshot()).isFalse();
            assertThat(insert.source().gtid()).hasValueSatisfying(gtid -> assertThat(gtid).matches("0-100-\\d+"));
            assertThat(insert.source().binlogFile()).startsWith("binlog.");
            assertThat(insert.transaction()).hasValueSatisfying(tx -> {
                assertThat(tx.id()).isEqualTo(insert.source().gtid().orElseThrow());
                assertThat(tx.totalOrder()).isEqualTo(1);
                assertThat(tx.eventCount()).hasValue(1);
                assertThat(tx.commitTsMs()).isPresent();
            });

            ChangeEvent update = events.get(1);
            assertThat(price(update.before().orElseThrow())).isEqualTo("1.50");
            assertThat(price(update.after().orElseThrow())).isEqualTo("2.25");

            ChangeEvent delete = events.get(2);
            assertThat(price(delete.before().orElseThrow())).isEqualTo("2.25");
            assertThat(delete.after()).isEmpty();

            assertThat(events).extracting(ChangeEvent::id).doesNotHaveDuplicates();
            assertThat(stored).extracting(ChangeLog.Stored::sequence).as("batches in order").isSorted();
        }
    }

    @Test
    void aTransactionOfThreeRowsIsAppendedAsOneBatch() throws Exception {
        try (CaptureFixture fixture = CaptureFixture.create("tx3")) {
            String orders = fixture.table("orders");
            SharedCluster.execute("CREATE TABLE " + orders + " (id INT PRIMARY KEY, note VARCHAR(20))");
            fixture.startCapture();

            SharedCluster.executeInTransaction(
                    "INSERT INTO " + orders + " VALUES (1, 'one')",
                    "INSERT INTO " + orders + " VALUES (2, 'two')",
                    "UPDATE " + orders + " SET note = 'uno' WHERE id = 1");
            SharedCluster.execute("INSERT INTO " + orders + " VALUES (3, 'after')");

            List<ChangeLog.Stored> stored = fixture.awaitAtLeast(4);
            assertThat(stored).hasSize(4);
            List<ChangeLog.Stored> transaction = stored.subList(0, 3);
            assertThat(transaction).extracting(ChangeLog.Stored::sequence).as("one batch")
                    .containsOnly(stored.get(0).sequence());
            assertThat(stored.get(3).event().transaction().orElseThrow().id()).as("the next transaction")
                    .isNotEqualTo(stored.get(0).event().transaction().orElseThrow().id());
            List<EventTransaction> metadata = transaction.stream()
                    .map(each -> each.event().transaction().orElseThrow()).toList();
            assertThat(metadata).extracting(EventTransaction::totalOrder).containsExactly(1L, 2L, 3L);
            assertThat(metadata).extracting(EventTransaction::id).containsOnly(metadata.get(0).id());
            assertThat(metadata).allSatisfy(tx -> assertThat(tx.eventCount()).hasValue(3));
            assertThat(ChangeLog.events(transaction)).extracting(ChangeEvent::op)
                    .containsExactly(Operation.CREATE, Operation.CREATE, Operation.UPDATE);
        }
    }

    @Test
    void rowsThatExistedBeforeTheFirstStartAreSnapshotAsReads() throws Exception {
        try (CaptureFixture fixture = CaptureFixture.create("snap")) {
            String stock = fixture.table("stock");
            SharedCluster.execute("CREATE TABLE " + stock + " (sku VARCHAR(10) PRIMARY KEY, qty INT)",
                    "INSERT INTO " + stock + " VALUES ('a', 1), ('b', 2), ('c', 3)");
            fixture.startCapture();
            fixture.awaitAtLeast(3);
            fixture.stopCapture();
            fixture.startCapture(); // resumes after the snapshot: reads no row twice
            SharedCluster.execute("INSERT INTO " + stock + " VALUES ('d', 4)");

            fixture.awaitAtLeast(4);
            Thread.sleep(500);
            List<ChangeEvent> events = ChangeLog.events(fixture.read());
            assertThat(events).hasSize(4);
            assertThat(events.subList(0, 3)).allSatisfy(read -> {
                assertThat(read.op()).isEqualTo(Operation.READ);
                assertThat(read.source().snapshot()).isTrue();
                assertThat(read.before()).isEmpty();
                assertThat(read.transaction()).isEmpty();
            });
            assertThat(events.subList(0, 3)).extracting(read -> read.key().get("sku").asText())
                    .containsExactlyInAnyOrder("a", "b", "c");
            assertThat(events.get(3).op()).isEqualTo(Operation.CREATE);
            assertThat(events).extracting(ChangeEvent::id).doesNotHaveDuplicates();
        }
    }

    @Test
    void columnValuesAreTypedJson() throws Exception {
        try (CaptureFixture fixture = CaptureFixture.create("types")) {
            String typed = fixture.table("typed");
            SharedCluster.execute("CREATE TABLE " + typed + " (id BIGINT UNSIGNED PRIMARY KEY, amount DECIMAL(30,10),"
                    + " day DATE, at DATETIME(6), stamp TIMESTAMP(3) NULL, span TIME, yr YEAR, raw VARBINARY(8),"
                    + " doc BLOB, ratio DOUBLE, flag TINYINT(1), kind ENUM('x','y'), body JSON, note TEXT)");
            fixture.startCapture();

            SharedCluster.execute("SET time_zone = '+00:00'", "INSERT INTO " + typed + " VALUES (18446744073709551615,"
                    + " 12345678901234567890.0123456789, '2026-01-31', '2026-01-31 10:15:30.250000',"
                    + " '2026-01-31 10:15:30.125', '-01:02:03', 2026, x'00ff10', x'cafe', 0.5, 1, 'y',"
                    + " '{\"a\": [1, 2]}', NULL)");

            ObjectNode row = fixture.awaitAtLeast(1).get(0).event().after().orElseThrow();
            assertThat(row.get("id").asText()).isEqualTo("18446744073709551615");
            assertThat(row.get("amount").asText()).isEqualTo("12345678901234567890.0123456789");
            assertThat(row.get("day").asText()).isEqualTo("2026-01-31");
            assertThat(row.get("at").asText()).isEqualTo("2026-01-31T10:15:30.25");
            assertThat(row.get("stamp").asText()).isEqualTo("2026-01-31T10:15:30.125Z");
            assertThat(row.get("span").asText()).isEqualTo("PT-1H-2M-3S");
            assertThat(row.get("yr").asInt()).isEqualTo(2026);
            assertThat(row.get("raw").asText()).isEqualTo("AP8Q");
            assertThat(row.get("doc").asText()).isEqualTo("yv4=");
            assertThat(row.get("ratio").isDouble()).isTrue();
            assertThat(row.get("ratio").asDouble()).isEqualTo(0.5);
            assertThat(row.get("flag").isIntegralNumber()).isTrue();
            assertThat(row.get("kind").asText()).isEqualTo("y");
            assertThat(row.get("body").asText()).contains("\"a\"");
            assertThat(row.get("note").isNull()).isTrue();
        }
    }

    @Test
    void eachGroupIsCapturedIntoItsOwnPartitionUnderLogicalNames() throws Exception {
        String logical = SharedCluster.uniqueName("shop");
        Path dir = SharedCluster.ROOT.resolve(logical);
        List<GroupSource> groups = new ArrayList<>();
        for (int g = 0; g < 2; g++) {
            String group = "g" + g;
            String database = logical + "_" + g;
            SharedCluster.executeOn(group, "CREATE DATABASE " + database,
                    "CREATE TABLE " + database + ".orders_" + g + " (id INT PRIMARY KEY, grp VARCHAR(4))");
            groups.add(new GroupSource(group, "127.0.0.1", SharedCluster.primary(group).port()));
        }
        // Physical shop_<g>.orders_<g> on group g is logical shop.orders.
        PhysicalToLogical mapping = (group, database, table) -> new LogicalTable(
                database.substring(0, database.lastIndexOf('_')), table.substring(0, table.lastIndexOf('_')));
        CaptureOptions options = CaptureOptions.defaults(SharedCluster.CDC_USER, SharedCluster.CDC_PASSWORD, 7100,
                dir.resolve("cdc")).withDatabases(List.of(logical + "_0", logical + "_1"));
        try (QueueStore queue = QueueStore.open(QueueSettings.defaults(dir.resolve("queue")), Clock.systemUTC());
             ChangeCaptures captures = ChangeCaptures.start(groups, options, queue, mapping, Clock.systemUTC())) {
            captures.awaitStreaming(CaptureFixture.STREAMING_TIMEOUT);
            for (int g = 0; g < 2; g++) {
                for (int id = 1; id <= 3; id++) {
                    SharedCluster.executeOn("g" + g, "INSERT INTO " + logical + "_" + g + ".orders_" + g
                            + " VALUES (" + id + ", 'g" + g + "')");
                }
            }

            for (int g = 0; g < 2; g++) {
                List<ChangeEvent> events = ChangeLog.events(ChangeLog.awaitAtLeast(queue, options.topic(), g, 3,
                        CaptureFixture.EVENT_TIMEOUT));
                String group = "g" + g;
                assertThat(events).hasSize(3).allSatisfy(event -> {
                    assertThat(event.schema()).isEqualTo(logical);
                    assertThat(event.table()).isEqualTo("orders");
                    assertThat(event.source().group()).isEqualTo(group);
                    assertThat(event.source().database()).isEqualTo(logical + "_" + group.substring(1));
                    assertThat(event.after().orElseThrow().get("grp").asText()).isEqualTo(group);
                });
                assertThat(events).extracting(event -> event.key().get("id").asInt()).containsExactly(1, 2, 3);
            }
            assertThat(captures.health()).extracting(CaptureHealth::group, CaptureHealth::state).containsExactly(
                    tuple("g0", CaptureState.STREAMING), tuple("g1", CaptureState.STREAMING));
        }
    }

    @Test
    void aColumnAddedWhileTheCaptureWasDownIsInTheEventsAfterTheRestart() throws Exception {
        try (CaptureFixture fixture = CaptureFixture.create("ddl")) {
            String people = fixture.table("people");
            SharedCluster.execute("CREATE TABLE " + people + " (id INT PRIMARY KEY, name VARCHAR(20))");
            fixture.startCapture();
            SharedCluster.execute("INSERT INTO " + people + " VALUES (1, 'ada')");
            fixture.awaitAtLeast(1);
            fixture.stopCapture();

            SharedCluster.execute("ALTER TABLE " + people + " ADD COLUMN born DATE",
                    "INSERT INTO " + people + " VALUES (2, 'grace', '1906-12-09')");
            fixture.startCapture();
            SharedCluster.execute("UPDATE " + people + " SET born = '1815-12-10' WHERE id = 1");

            List<ChangeEvent> events = ChangeLog.events(fixture.awaitAtLeast(3));
            assertThat(events).hasSize(3);
            assertThat(events.get(0).after().orElseThrow()).hasToString("{\"id\":1,\"name\":\"ada\"}");
            assertThat(events.get(1).after().orElseThrow())
                    .hasToString("{\"id\":2,\"name\":\"grace\",\"born\":\"1906-12-09\"}");
            assertThat(events.get(2).before().orElseThrow().get("born").isNull()).isTrue();
            assertThat(events.get(2).after().orElseThrow().get("born").asText()).isEqualTo("1815-12-10");
        }
    }

    @Test
    void aTableCreatedInADatabaseNotCapturedIsNoSchemaChangeEvent() throws Exception {
        try (CaptureFixture fixture = CaptureFixture.create("ddlscope")) {
            // Like the proxy's shardwire_xa.commit_markers, created on a primary whose binlog is being captured.
            String other = SharedCluster.uniqueName("notcaptured");
            SharedCluster.execute("CREATE DATABASE " + other);
            fixture.startCapture();
            String kept = fixture.table("kept");
            SharedCluster.execute("CREATE TABLE " + other + ".markers (id INT PRIMARY KEY)",
                    "CREATE TABLE " + kept + " (id INT PRIMARY KEY)",
                    "INSERT INTO " + kept + " VALUES (1)");

            fixture.awaitAtLeast(1); // the INSERT is stored, so both CREATEs before it were read
            assertThat(ChangeLog.readAll(fixture.queue, CaptureOptions.DEFAULT_TOPIC, 0))
                    .extracting(each -> each.event().getClass().getSimpleName() + " " + each.event().table())
                    .containsExactly("SchemaChangeEvent kept", "ChangeEvent kept");
        }
    }

    @Test
    void aRestartOfThePrimaryIsFollowedWithoutLossAndShowsInTheHealth() throws Exception {
        try (CaptureFixture fixture = CaptureFixture.create("bounce")) {
            String table = fixture.table("t");
            SharedCluster.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            ChangeCaptures captures = fixture.startCapture();
            SharedCluster.execute("INSERT INTO " + table + " VALUES (1)");
            fixture.awaitAtLeast(1);

            SharedCluster.primary().stop();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(captures.health())
                        .extracting(CaptureHealth::state).containsExactly(CaptureState.CONNECTING));
            } finally {
                SharedCluster.primary().start();
            }
            SharedCluster.execute("INSERT INTO " + table + " VALUES (2)");

            fixture.awaitAtLeast(2);
            Thread.sleep(500);
            assertThat(ChangeLog.events(fixture.read())).extracting(event -> event.key().get("id").asInt())
                    .containsExactly(1, 2);
            assertThat(captures.health()).extracting(CaptureHealth::state).containsExactly(CaptureState.STREAMING);
        }
    }

    @Test
    void aStatementBinlogIsRefusedWithAMessageSayingSo() throws Exception {
        try (CaptureFixture fixture = CaptureFixture.create("stmt")) {
            SharedCluster.execute("SET GLOBAL binlog_format = 'STATEMENT'");
            try {
                assertThatThrownBy(fixture::startCapture)
                        .isInstanceOf(CaptureRefusedException.class)
                        .hasMessageContaining("g0 primary 127.0.0.1:" + SharedCluster.primary().port())
                        .hasMessageContaining("binlog_format is STATEMENT (expected: ROW");
            } finally {
                SharedCluster.execute("SET GLOBAL binlog_format = 'ROW'");
            }
            SharedCluster.execute("SET GLOBAL binlog_row_image = 'MINIMAL'");
            try {
                assertThatThrownBy(fixture::startCapture)
                        .isInstanceOf(CaptureRefusedException.class)
                        .hasMessageContaining("binlog_row_image is MINIMAL (expected: FULL");
            } finally {
                SharedCluster.execute("SET GLOBAL binlog_row_image = 'FULL'");
            }
        }
    }

    @Test
    void aStopMidStreamAndARestartLoseNothingAndRepeatNothing() throws Exception {
        try (CaptureFixture fixture = CaptureFixture.create("restart")) {
            String rows = fixture.table("rows_");
            SharedCluster.execute("CREATE TABLE " + rows + " (id INT PRIMARY KEY, payload VARCHAR(40))");
            fixture.startCapture();
            RowWriter writer = RowWriter.start(rows, 1, 600);
            fixture.awaitAtLeast(100);
            fixture.stopCapture(); // while the writer goes on
            assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName(
                    "debezium.mariadb:type=connector-metrics,context=streaming,server=cdc-g0")))
                    .as("a stopped capture leaves no streaming MBean behind to fake the next one's readiness").isFalse();
            writer.awaitDone();
            int writtenWhileDown = 600;
            SharedCluster.execute("INSERT INTO " + rows + " VALUES (" + (writtenWhileDown + 1) + ", 'while down')");
            fixture.startCapture();

            List<ChangeLog.Stored> stored = fixture.awaitAtLeast(writtenWhileDown + 1);
            Thread.sleep(500);
            stored = fixture.read();
            List<ChangeEvent> events = ChangeLog.events(stored);
            assertThat(events).hasSize(writtenWhileDown + 1);
            assertThat(events).extracting(ChangeEvent::id).doesNotHaveDuplicates();
            assertThat(events).extracting(event -> event.key().get("id").asInt())
                    .as("every row once, in commit order").isSorted()
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, writtenWhileDown + 1).boxed().toList());
            Set<Long> sequences = stored.stream().map(ChangeLog.Stored::sequence).collect(Collectors.toSet());
            assertThat(stored).extracting(ChangeLog.Stored::sequence).isSorted();
            assertThat(sequences).hasSizeGreaterThan(1);
        }
    }

    @Test
    void aTransactionStoredInPartsResumesInsideItAfterARestart() throws Exception {
        try (CaptureFixture whole = CaptureFixture.create("split")) {
            String parts = whole.table("parts");
            SharedCluster.execute("CREATE TABLE " + parts + " (id INT PRIMARY KEY)");
            whole.startCapture(whole.options().withMaxTransactionEvents(2));
            SharedCluster.executeInTransaction(IntStream.rangeClosed(1, 5)
                    .mapToObj(id -> "INSERT INTO " + parts + " VALUES (" + id + ")").toArray(String[]::new));
            List<ChangeLog.Stored> original = whole.awaitAtLeast(5);
            whole.stopCapture();
            assertThat(original).extracting(ChangeLog.Stored::sequence).containsExactly(0L, 0L, 1L, 1L, 2L);
            assertThat(original.get(4).event().transaction().orElseThrow().eventCount()).hasValue(5);

            // A queue that holds only the first part, as if the capture had crashed right after storing it.
            try (CaptureFixture crashed = whole.onSameDatabase("crashed")) {
                CaptureOptions options = crashed.options().withMaxTransactionEvents(2);
                Files.createDirectories(options.dataDir());
                Files.copy(whole.options().dataDir().resolve("cdc-g0.schema-history.dat"),
                        options.dataDir().resolve("cdc-g0.schema-history.dat"));
                crashed.queue.createTopic(CaptureOptions.DEFAULT_TOPIC, 1);
                List<LogRecord> firstPart = whole.queue.fetch(CaptureOptions.DEFAULT_TOPIC, 0, 0, 2, 1 << 20,
                        Duration.ZERO);
                crashed.queue.append(CaptureOptions.DEFAULT_TOPIC, 0, new RecordBatch(firstPart.get(0).producer(),
                        firstPart.stream().map(LogRecord::record).toList()));

                crashed.startCapture(options);

                crashed.awaitAtLeast(5);
                Thread.sleep(500);
                List<ChangeLog.Stored> resumed = crashed.read();
                assertThat(resumed).extracting(ChangeLog.Stored::sequence).containsExactly(0L, 0L, 1L, 1L, 2L);
                assertThat(ChangeLog.events(resumed)).extracting(ChangeEvent::id)
                        .containsExactlyElementsOf(ChangeLog.events(original).stream().map(ChangeEvent::id).toList());
                assertThat(ChangeLog.events(resumed)).extracting(event -> event.transaction().orElseThrow())
                        .extracting(EventTransaction::totalOrder).containsExactly(1L, 2L, 3L, 4L, 5L);
                assertThat(resumed.get(4).event().transaction().orElseThrow().eventCount()).hasValue(5);
            }
        }
    }

    private static String price(ObjectNode row) {
        return row.get("price").asText();
    }
}
