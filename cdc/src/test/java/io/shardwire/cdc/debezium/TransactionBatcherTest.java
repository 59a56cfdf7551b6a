package io.shardwire.cdc.debezium;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.EventId;
import io.shardwire.cdc.event.EventTransaction;
import io.shardwire.cdc.event.LogicalTable;
import io.shardwire.cdc.event.Operation;
import io.shardwire.cdc.event.PhysicalToLogical;
import io.shardwire.cdc.event.SchemaChangeEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** The batching rules, on records shaped like the MariaDB connector's. */
class TransactionBatcherTest {

    private static final String PREFIX = "cdc-g0";
    private static final Schema ROW = SchemaBuilder.struct().name("row").optional()
            .field("id", Schema.INT32_SCHEMA).build();
    private static final Schema SOURCE = SchemaBuilder.struct().name("source")
            .field("db", Schema.STRING_SCHEMA).field("table", Schema.OPTIONAL_STRING_SCHEMA)
            .field("server_id", Schema.INT64_SCHEMA).field("gtid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("file", Schema.STRING_SCHEMA).field("pos", Schema.INT64_SCHEMA).field("row", Schema.INT32_SCHEMA)
            .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA).build();
    private static final Schema TX_BLOCK = SchemaBuilder.struct().name("block").optional()
            .field("id", Schema.STRING_SCHEMA).field("total_order", Schema.INT64_SCHEMA)
            .field("data_collection_order", Schema.INT64_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("envelope")
            .field("before", ROW).field("after", ROW).field("source", SOURCE).field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).field("transaction", TX_BLOCK).build();
    private static final Schema TX_VALUE = SchemaBuilder.struct().name("tx")
            .field("status", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA)
            .field("event_count", Schema.OPTIONAL_INT64_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA).build();

    private static final Schema TABLE_CHANGE = SchemaBuilder.struct().name("change")
            .field("type", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA)
            .field("table", SchemaBuilder.struct().name("table")
                    .field("primaryKeyColumnNames", SchemaBuilder.array(Schema.STRING_SCHEMA).build()).build())
            .build();
    private static final Schema SCHEMA_SOURCE = SchemaBuilder.struct().name("schema_source")
            .field("db", Schema.STRING_SCHEMA).field("table", Schema.OPTIONAL_STRING_SCHEMA)
            .field("server_id", Schema.INT64_SCHEMA).field("gtid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("file", Schema.STRING_SCHEMA).field("pos", Schema.INT64_SCHEMA).field("row", Schema.INT32_SCHEMA)
            .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA).build();
    private static final Schema SCHEMA_CHANGE = SchemaBuilder.struct().name("schema_change")
            .field("source", SCHEMA_SOURCE).field("ts_ms", Schema.INT64_SCHEMA)
            .field("databaseName", Schema.OPTIONAL_STRING_SCHEMA).field("schemaName", Schema.OPTIONAL_STRING_SCHEMA)
            .field("ddl", Schema.OPTIONAL_STRING_SCHEMA)
            .field("tableChanges", SchemaBuilder.array(TABLE_CHANGE).build()).build();
    private static final String HEARTBEAT_TOPIC = "__debezium-heartbeat." + PREFIX;

    private final List<List<ChangeEvent>> batches = new ArrayList<>();
    private final List<List<SchemaChangeEvent>> schemaBatches = new ArrayList<>();
    private final List<CapturePosition> positions = new ArrayList<>();
    private long position;
    private PhysicalToLogical mapping = PhysicalToLogical.IDENTITY;
    /** What the event group beginning at a binlog position is, for the groups that are XA. */
    private final Map<Long, XaGroup> xaGroups = new HashMap<>();
    private final List<Long> asked = new ArrayList<>();
    /** The snapshot stage: what it holds, how often it was restarted, what it published and with which position. */
    private final List<List<ChangeEvent>> staged = new ArrayList<>();
    private int stageRestarts;
    private final List<List<ChangeEvent>> published = new ArrayList<>();
    private final List<CapturePosition> publishedPositions = new ArrayList<>();
    private final SnapshotStage stage = new SnapshotStage() {
        @Override
        public void restart() {
            staged.clear();
            stageRestarts++;
        }

        @Override
        public void stage(List<ChangeEvent> reads) {
            staged.add(reads);
        }

        @Override
        public void publish(CapturePosition end) {
            published.add(staged.stream().flatMap(List::stream).toList());
            publishedPositions.add(end);
            staged.clear();
        }
    };

    private TransactionBatcher batcher(int maxTransactionEvents) {
        return batcher(maxTransactionEvents, Optional.empty());
    }

    private TransactionBatcher batcher(int maxTransactionEvents, Optional<CapturePosition> stored) {
        return new TransactionBatcher(PREFIX, PREFIX + ".transaction", HEARTBEAT_TOPIC,
                new ChangeEventMapper("g0", mapping, Clock.systemUTC()), (events, position) -> {
                    List<ChangeEvent> changes = events.stream().filter(ChangeEvent.class::isInstance)
                            .map(ChangeEvent.class::cast).toList();
                    if (changes.isEmpty()) {
                        schemaBatches.add(events.stream().map(SchemaChangeEvent.class::cast).toList());
                    } else {
                        assertThat(changes).as("row and schema changes in one batch").hasSameSizeAs(events);
                        batches.add(changes);
                    }
                    positions.add(position);
                }, stage, maxTransactionEvents, stored, (file, pos) -> {
                    asked.add(pos);
                    return xaGroups.getOrDefault(pos, XaGroup.PLAIN);
                });
    }

    @Test
    void aTransactionSpanningTwoRecordListsIsOneBatchStoredWithItsEndOffset() throws InterruptedException {
        TransactionBatcher batcher = batcher(100);
        SourceRecord end = end("0-1-9", 3);

        assertThat(batcher.accept(List.of(begin("0-1-9"), insert("0-1-9", 1, 1), insert("0-1-9", 2, 2)))).isNull();
        assertThat(batches).isEmpty();
        assertThat(batcher.accept(List.of(insert("0-1-9", 3, 3), end))).isSameAs(end);

        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).extracting(event -> event.key().get("id").asInt()).containsExactly(1, 2, 3);
        assertThat(batches.get(0)).allSatisfy(event -> {
            EventTransaction transaction = event.transaction().orElseThrow();
            assertThat(transaction.eventCount()).hasValue(3);
            assertThat(transaction.commitTsMs()).hasValue(77_000);
        });
        assertThat(positions.get(0)).isEqualTo(new CapturePosition(CaptureOffset.of(PREFIX, end), Optional.empty(),
                Optional.empty(), 9));
    }

    @Test
    void theTransactionsEndingInOneRecordListShareOneBatchUpToTheCap() throws InterruptedException {
        TransactionBatcher batcher = batcher(4);
        SourceRecord secondEnd = end("0-1-2", 2);
        SourceRecord thirdEnd = end("0-1-3", 1);

        assertThat(batcher.accept(List.of(begin("0-1-1"), insert("0-1-1", 1, 1), insert("0-1-1", 2, 2),
                end("0-1-1", 2), begin("0-1-2"), insert("0-1-2", 3, 1), insert("0-1-2", 4, 2), secondEnd)))
                .isSameAs(secondEnd);
        assertThat(batcher.accept(List.of(begin("0-1-3"), insert("0-1-3", 5, 1), thirdEnd))).isSameAs(thirdEnd);

        assertThat(batches).as("one batch per record list").hasSize(2);
        assertThat(batches.get(0)).extracting(event -> event.key().get("id").asInt()).containsExactly(1, 2, 3, 4);
        assertThat(positions.get(0).offset()).isEqualTo(CaptureOffset.of(PREFIX, secondEnd));

        batches.clear();
        batcher.accept(List.of(begin("0-1-4"), insert("0-1-4", 6, 1), insert("0-1-4", 7, 2), end("0-1-4", 2),
                begin("0-1-5"), insert("0-1-5", 8, 1), insert("0-1-5", 9, 2), insert("0-1-5", 10, 3),
                end("0-1-5", 3)));
        assertThat(batches).as("over the cap of 4: one transaction per batch, neither split")
                .extracting(List::size).containsExactly(2, 3);
    }

    @Test
    void aTransactionOverTheCapIsStoredInPartsAndOnlyTheLastKnowsItsSize() throws InterruptedException {
        TransactionBatcher batcher = batcher(2);
        List<SourceRecord> records = new ArrayList<>(List.of(begin("0-1-5")));
        for (int i = 1; i <= 5; i++) {
            records.add(insert("0-1-5", i, i));
        }
        records.add(end("0-1-5", 5));

        batcher.accept(records);

        assertThat(batches).extracting(List::size).containsExactly(2, 2, 1);
        assertThat(batches.get(0)).allSatisfy(event -> assertThat(event.transaction().orElseThrow().eventCount())
                .isEqualTo(OptionalLong.empty()));
        assertThat(batches.get(2).get(0).transaction().orElseThrow().eventCount()).hasValue(5);
        assertThat(positions.get(0)).as("a part is stored with the offset of its own last record")
                .isEqualTo(new CapturePosition(CaptureOffset.of(PREFIX, records.get(2)),
                        Optional.of(new PartialTransaction("0-1-5", 2, Map.of("db.t", 2L)))));
        assertThat(asked).as("the binlog is asked once whether a transaction over the cap is an XA branch")
                .hasSize(1);
        assertThat(positions.get(2).partial()).isEmpty();
        assertThat(batches.stream().flatMap(List::stream).map(event -> event.transaction().orElseThrow()))
                .extracting(EventTransaction::totalOrder).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void resumingInsideAStoredTransactionNumbersOnWhereTheStoredPartEnded() throws InterruptedException {
        TransactionBatcher batcher = batcher(2, Optional.of(new CapturePosition(CaptureOffset.of(PREFIX, read(0, "true")),
                Optional.of(new PartialTransaction("0-1-5", 2, Map.of("db.t", 2L))))));

        // Debezium begins the transaction afresh and numbers the remaining events from 1.
        batcher.accept(List.of(begin("0-1-5"), insert("0-1-5", 3, 1), insert("0-1-5", 4, 2), insert("0-1-5", 5, 3),
                end("0-1-5", 3)));

        List<EventTransaction> transactions = batches.stream().flatMap(List::stream)
                .map(event -> event.transaction().orElseThrow()).toList();
        assertThat(transactions).extracting(EventTransaction::totalOrder).containsExactly(3L, 4L, 5L);
        assertThat(transactions).extracting(EventTransaction::dataCollectionOrder).containsExactly(3L, 4L, 5L);
        assertThat(transactions.get(2).eventCount()).hasValue(5);
        assertThat(batches.get(0)).extracting(ChangeEvent::id).containsExactly(
                EventId.ofBinlogChange("g0", "0-1-5", 3), EventId.ofBinlogChange("g0", "0-1-5", 4));
    }

    @Test
    void anEndReplayedWithoutItsTransactionIsDropped() throws InterruptedException {
        TransactionBatcher batcher = batcher(100);

        assertThat(batcher.accept(List.of(end("0-1-3", 2)))).isNull();

        assertThat(batches).isEmpty();
    }

    @Test
    void aBeginWhileATransactionIsOpenDropsThePartialOneWhichTheSourceReplays() throws InterruptedException {
        TransactionBatcher batcher = batcher(100);

        batcher.accept(List.of(begin("0-1-3"), insert("0-1-3", 1, 1), begin("0-1-3"), insert("0-1-3", 1, 1),
                insert("0-1-3", 2, 2), end("0-1-3", 2)));

        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).extracting(event -> event.key().get("id").asInt()).containsExactly(1, 2);
    }

    @Test
    void aPreparedXaBranchIsParkedAndStoredWholeAtItsCommitWithAResumePointBeforeItMeanwhile()
            throws InterruptedException {
        TransactionBatcher batcher = batcher(100);
        SourceRecord prepare = xa(begin("0-1-5"), XaGroup.Kind.PREPARED);

        assertThat(batcher.accept(List.of(prepare, insert("0-1-5", 1, 1), insert("0-1-5", 2, 2)))).isNull();
        SourceRecord plainEnd = end("0-1-6", 1);
        assertThat(batcher.accept(List.of(begin("0-1-6"), insert("0-1-6", 3, 1), plainEnd))).isSameAs(plainEnd);
        SourceRecord commit = xa(begin("0-1-7"), XaGroup.Kind.COMMITTED);
        assertThat(batcher.accept(List.of(commit))).as("not before the group after the commit").isNull();
        SourceRecord next = begin("0-1-8");
        assertThat(batcher.accept(List.of(next))).isSameAs(next);

        assertThat(batches).extracting(batch -> batch.stream().map(event -> event.key().get("id").asInt()).toList())
                .containsExactly(List.of(3), List.of(1, 2));
        assertThat(positions.get(0)).as("the plain transaction's position resumes before the parked branch")
                .isEqualTo(new CapturePosition(CaptureOffset.of(PREFIX, plainEnd), Optional.empty(),
                        Optional.of(offsetValue(prepare)), 6));
        assertThat(positions.get(1)).as("the offset past the commit group").isEqualTo(new CapturePosition(
                CaptureOffset.of(PREFIX, next), Optional.empty(), Optional.empty(), 7));
        assertThat(batches.get(1)).allSatisfy(event -> {
            EventTransaction transaction = event.transaction().orElseThrow();
            assertThat(transaction.id()).isEqualTo("0-1-5");
            assertThat(transaction.eventCount()).hasValue(2);
        });
    }

    @Test
    void anXaCommitIsStoredAtTheNextGroupsBeginTogetherWithWhatEndsInTheSameList() throws InterruptedException {
        TransactionBatcher batcher = batcher(100);
        SourceRecord next = begin("0-1-7");

        batcher.accept(List.of(xa(begin("0-1-5"), XaGroup.Kind.PREPARED), insert("0-1-5", 1, 1),
                xa(begin("0-1-6"), XaGroup.Kind.COMMITTED), next, insert("0-1-7", 2, 1), end("0-1-7", 1)));

        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).extracting(event -> event.key().get("id").asInt()).containsExactly(1, 2);
    }

    @Test
    void aBranchRolledBackAfterPrepareIsNeverStored() throws InterruptedException {
        TransactionBatcher batcher = batcher(100);

        batcher.accept(List.of(xa(begin("0-1-5"), XaGroup.Kind.PREPARED), insert("0-1-5", 1, 1)));
        batcher.accept(List.of(xa(begin("0-1-6"), XaGroup.Kind.ROLLED_BACK), begin("0-1-7"), insert("0-1-7", 2, 1), end("0-1-7", 1)));

        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).extracting(event -> event.key().get("id").asInt()).containsExactly(2);
        assertThat(positions.get(0).resumeFrom()).isEmpty();
    }

    @Test
    void readingAgainFromTheResumePointStoresTheBranchOnceAndNothingElseTwice() throws InterruptedException {
        SourceRecord prepare = xa(begin("0-1-5"), XaGroup.Kind.PREPARED);
        SourceRecord commit = xa(begin("0-1-7"), XaGroup.Kind.COMMITTED);
        List<SourceRecord> binlog = List.of(prepare, insert("0-1-5", 1, 1), begin("0-1-6"), insert("0-1-6", 3, 1),
                end("0-1-6", 1), commit, begin("0-1-8"));

        // Stored before the restart: the plain transaction 0-1-6, with the resume point before the branch.
        batcher(100, Optional.of(new CapturePosition(CaptureOffset.of(PREFIX, binlog.get(4)), Optional.empty(),
                Optional.of(offsetValue(prepare)), 6))).accept(binlog);
        assertThat(batches).extracting(batch -> batch.stream().map(event -> event.key().get("id").asInt()).toList())
                .containsExactly(List.of(1));

        // Stored before the restart: the branch's commit too.
        batches.clear();
        batcher(100, Optional.of(new CapturePosition(CaptureOffset.of(PREFIX, commit), Optional.empty(),
                Optional.of(offsetValue(prepare)), 7))).accept(binlog);
        assertThat(batches).isEmpty();
    }

    @Test
    void anXaBranchOverTheCapIsHeldWholeNotStoredInParts() throws InterruptedException {
        TransactionBatcher batcher = batcher(2);
        List<SourceRecord> records = new ArrayList<>(List.of(xa(begin("0-1-5"), XaGroup.Kind.PREPARED)));
        for (int i = 1; i <= 5; i++) {
            records.add(insert("0-1-5", i, i));
        }

        batcher.accept(records);
        assertThat(batches).isEmpty();
        batcher.accept(List.of(xa(begin("0-1-6"), XaGroup.Kind.COMMITTED), begin("0-1-7")));

        assertThat(batches).extracting(List::size).containsExactly(5);
    }

    @Test
    void readingAgainFromBeforeAPartlyStoredTransactionSkipsItsStoredPart() throws InterruptedException {
        SourceRecord prepare = xa(begin("0-1-5"), XaGroup.Kind.PREPARED);
        TransactionBatcher batcher = batcher(2, Optional.of(new CapturePosition(CaptureOffset.of(PREFIX, read(0, "true")),
                Optional.of(new PartialTransaction("0-1-6", 2, Map.of("db.t", 2L))),
                Optional.of(offsetValue(prepare)), 4)));

        // Read from the parked branch on: the whole of 0-1-6 again, numbered by Debezium from 1.
        batcher.accept(List.of(prepare, insert("0-1-5", 1, 1), begin("0-1-6"), insert("0-1-6", 2, 1),
                insert("0-1-6", 3, 2), insert("0-1-6", 4, 3), end("0-1-6", 3)));

        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).extracting(event -> event.key().get("id").asInt()).containsExactly(4);
        assertThat(batches.get(0).get(0).transaction().orElseThrow().totalOrder()).isEqualTo(3);
        assertThat(positions.get(0).resumeFrom()).as("the branch is still undecided").contains(offsetValue(prepare));
    }

    @Test
    void sequenceOfAGtid() {
        assertThat(TransactionBatcher.sequenceOf("0-100-42")).isEqualTo(42);
        assertThat(TransactionBatcher.sequenceOf("file:4")).isEqualTo(-1);
    }

    @Test
    void anXaCommitOnAQuietBinlogIsStoredAtTheNextHeartbeat() throws InterruptedException {
        TransactionBatcher batcher = batcher(100);
        batcher.accept(List.of(xa(begin("0-1-5"), XaGroup.Kind.PREPARED), insert("0-1-5", 1, 1)));
        SourceRecord commit = xa(begin("0-1-6"), XaGroup.Kind.COMMITTED);
        assertThat(batcher.accept(List.of(commit))).isNull();

        SourceRecord heartbeat = heartbeat();
        assertThat(batcher.accept(List.of(heartbeat))).isSameAs(heartbeat);
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).extracting(event -> event.key().get("id").asInt()).containsExactly(1);
        assertThat(positions.get(0)).isEqualTo(new CapturePosition(CaptureOffset.of(PREFIX, heartbeat),
                Optional.empty(), Optional.empty(), 6));

        SourceRecord end = end("0-1-7", 1);
        batcher.accept(List.of(begin("0-1-7"), insert("0-1-7", 2, 1), end));
        assertThat(batches).as("the commit is not stored again at the next group").hasSize(2);
        assertThat(batches.get(1)).extracting(event -> event.key().get("id").asInt()).containsExactly(2);
    }

    @Test
    void aHeartbeatAsksAboutAnOpenGroupOnceAndOnlyWhileItHoldsNoRows() throws InterruptedException {
        TransactionBatcher batcher = batcher(100);
        batcher.accept(List.of(begin("0-1-5"), heartbeat(), heartbeat()));
        assertThat(asked).as("asked once for the group with no rows").hasSize(1);
        batcher.accept(List.of(begin("0-1-6"), insert("0-1-6", 1, 1), heartbeat()));
        assertThat(asked).as("the unended 0-1-5 asked at the next BEGIN; 0-1-6 holds a row").hasSize(2);
        batcher.accept(List.of(end("0-1-6", 1)));
        assertThat(batches).hasSize(1);
    }

    @Test
    void aSchemaChangeOfALogicalTablesFirstPhysicalTableIsOneEventInLogicalNames() throws InterruptedException {
        mapping = shardedOrders();
        TransactionBatcher batcher = batcher(100);
        SourceRecord ddl = schemaChange("ALTER TABLE `shop_0`.`orders_1` ADD COLUMN note VARCHAR(20)", "shop_0",
                "orders_1", "0-1-9", "false");

        assertThat(batcher.accept(List.of(ddl))).isSameAs(ddl);

        assertThat(schemaBatches).hasSize(1);
        SchemaChangeEvent event = schemaBatches.get(0).getFirst();
        assertThat(schemaBatches.get(0)).hasSize(1);
        assertThat(event.schema() + "." + event.table()).isEqualTo("shop.orders");
        assertThat(event.ddl()).isEqualTo("ALTER TABLE `shop`.`orders` ADD COLUMN note VARCHAR(20)");
        assertThat(event.tableChange().get("id").asText()).isEqualTo("\"shop\".\"orders\"");
        assertThat(event.tableChange().get("type").asText()).isEqualTo("ALTER");
        assertThat(event.tableChange().at("/table/primaryKeyColumnNames/0").asText()).isEqualTo("id");
        assertThat(event.source().database() + "." + event.source().table()).isEqualTo("shop_0.orders_1");
        assertThat(event.source().gtid()).hasValue("0-1-9");
        assertThat(event.id()).isEqualTo(EventId.ofSchemaChange("g0", "0-1-9", new LogicalTable("shop", "orders")));
        assertThat(positions.get(0)).isEqualTo(new CapturePosition(CaptureOffset.of(PREFIX, ddl), Optional.empty(),
                Optional.empty(), 9));
    }

    @Test
    void schemaChangesOfOtherPhysicalTablesOfTheSnapshotOrReadAgainAreDropped() throws InterruptedException {
        mapping = shardedOrders();
        TransactionBatcher batcher = batcher(100, Optional.of(new CapturePosition(new CaptureOffset(new byte[0],
                new byte[0]), Optional.empty(), Optional.empty(), 9)));

        assertThat(batcher.accept(List.of(
                schemaChange("ALTER TABLE orders_2 ADD note INT", "shop_1", "orders_2", "0-1-10", "false"),
                schemaChange("CREATE TABLE orders_1 (id INT)", "shop_0", "orders_1", null, "true"),
                schemaChange("ALTER TABLE orders_1 ADD note INT", "shop_0", "orders_1", "0-1-9", "false"))))
                .isNull();

        assertThat(schemaBatches).isEmpty();
    }

    private static PhysicalToLogical shardedOrders() {
        return new PhysicalToLogical() {
            @Override
            public LogicalTable logicalTable(String group, String database, String table) {
                return new LogicalTable("shop", table.replaceAll("_\\d+$", ""));
            }

            @Override
            public boolean capturesSchemaChanges(String group, String database, String table) {
                return table.equals("orders_1");
            }
        };
    }

    private SourceRecord schemaChange(String ddl, String database, String table, String gtid, String snapshot) {
        Struct source = new Struct(SCHEMA_SOURCE).put("db", database).put("server_id", 1L).put("gtid", gtid)
                .put("file", "binlog.000001").put("pos", 4L).put("row", 0).put("snapshot", snapshot)
                .put("ts_ms", 1000L);
        Struct change = new Struct(TABLE_CHANGE).put("type", ddl.startsWith("CREATE") ? "CREATE" : "ALTER")
                .put("id", "\"" + database + "\".\"" + table + "\"")
                .put("table", new Struct(TABLE_CHANGE.field("table").schema()).put("primaryKeyColumnNames",
                        List.of("id")));
        Struct value = new Struct(SCHEMA_CHANGE).put("source", source).put("ts_ms", 1000L)
                .put("databaseName", database).put("ddl", ddl).put("tableChanges", List.of(change));
        return new SourceRecord(Map.of("server", PREFIX), offset(), PREFIX, null, value.schema(), value);
    }

    private SourceRecord heartbeat() {
        Schema schema = SchemaBuilder.struct().name("heartbeat").field("ts_ms", Schema.INT64_SCHEMA).build();
        return new SourceRecord(Map.of("server", PREFIX), offset(), HEARTBEAT_TOPIC, null, schema,
                new Struct(schema).put("ts_ms", 1000L));
    }

    /** Makes the group that {@code begin} begins an XA group of branch {@code X'01',X'02',1}. */
    private SourceRecord xa(SourceRecord begin, XaGroup.Kind kind) {
        xaGroups.put(((Number) begin.sourceOffset().get("pos")).longValue(), new XaGroup(kind, "X'01',X'02',1"));
        return begin;
    }

    private static String offsetValue(SourceRecord record) {
        return new String(CaptureOffset.of(PREFIX, record).value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void snapshotReadsAreStagedPerRecordListUpToTheCapAndPublishedWholeAtTheSnapshotsLastRecord()
            throws InterruptedException {
        TransactionBatcher batcher = batcher(2);
        SourceRecord last = read(6, "last");

        assertThat(batcher.accept(List.of(read(1, "first"), read(2, "true"), read(3, "true"), read(4, "true"),
                read(5, "true")))).as("nothing in the group's partition yet").isNull();
        assertThat(staged).extracting(List::size).containsExactly(2, 2, 1);
        assertThat(staged.get(0)).allSatisfy(event -> {
            assertThat(event.op()).isEqualTo(Operation.READ);
            assertThat(event.transaction()).isEmpty();
        });
        assertThat(batcher.accept(List.of(last))).isSameAs(last);

        assertThat(batches).as("the batcher stores no read itself").isEmpty();
        assertThat(published).hasSize(1);
        assertThat(published.get(0)).extracting(event -> event.key().get("id").asInt())
                .containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(publishedPositions.get(0).offset()).isEqualTo(CaptureOffset.of(PREFIX, last));
        assertThat(stageRestarts).as("begun once").isEqualTo(1);
    }

    @Test
    void aSnapshotTakenAgainFromItsStartRestartsTheStage() throws InterruptedException {
        TransactionBatcher batcher = batcher(100);
        batcher.accept(List.of(read(1, "first"), read(2, "true")));
        batcher.accept(List.of(read(1, "first"), read(2, "true"), read(3, "last")));

        assertThat(stageRestarts).isEqualTo(2);
        assertThat(published).hasSize(1);
        assertThat(published.get(0)).extracting(event -> event.key().get("id").asInt()).containsExactly(1, 2, 3);
    }

    @Test
    void aSnapshotTakenAgainIsRecognisedByATableItReadBeforeWhenItsFirstTableIsEmpty() throws InterruptedException {
        TransactionBatcher batcher = batcher(100);
        // The first table is empty, so no read is marked "first": the one-row table's read is its last.
        batcher.accept(List.of(change("r", "a", 1, "last_in_data_collection"),
                change("r", "b", 1, "first_in_data_collection"), change("r", "b", 2, "true")));
        batcher.accept(List.of(change("r", "a", 1, "last_in_data_collection")));
        batcher.accept(List.of(change("r", "b", 1, "first_in_data_collection"), change("r", "b", 2, "last")));

        assertThat(stageRestarts).as("at the read of a table the attempt had read to its end").isEqualTo(2);
        assertThat(published.get(0)).extracting(event -> event.source().table() + event.key().get("id").asInt())
                .containsExactly("a1", "b1", "b2");
    }

    @Test
    void theSnapshotsLastRecordPublishesItAlsoWhenItsTableIsNotCaptured() throws InterruptedException {
        mapping = everyTableButCopy();
        TransactionBatcher batcher = batcher(100);
        SourceRecord last = change("r", "copy", 9, "last");

        assertThat(batcher.accept(List.of(read(1, "first"), last))).isSameAs(last);

        assertThat(published.get(0)).extracting(event -> event.key().get("id").asInt()).containsExactly(1);
        assertThat(publishedPositions.get(0).offset()).isEqualTo(CaptureOffset.of(PREFIX, last));
    }

    @Test
    void tombstonesAndOtherRecordsCarryNoEvents() throws InterruptedException {
        TransactionBatcher batcher = batcher(100);
        SourceRecord tombstone = new SourceRecord(Map.of("server", PREFIX), offset(), PREFIX + ".db.t", ROW,
                row(1), null, null);

        assertThat(batcher.accept(List.of(tombstone))).isNull();

        assertThat(batches).isEmpty();
    }

    @Test
    void changesOfTablesTheMappingDoesNotCaptureAreDroppedBeforeNumbering() throws InterruptedException {
        mapping = everyTableButCopy();
        TransactionBatcher batcher = batcher(100);

        batcher.accept(List.of(begin("0-1-5"), insert("0-1-5", "t", 1, 1), insert("0-1-5", "copy", 1, 2),
                insert("0-1-5", "t", 2, 3), end("0-1-5", 3), begin("0-1-6"), insert("0-1-6", "copy", 3, 1),
                end("0-1-6", 1)));

        assertThat(batches).as("a transaction of uncaptured changes only stores nothing").hasSize(1);
        assertThat(batches.get(0)).extracting(event -> event.transaction().orElseThrow().totalOrder())
                .containsExactly(1L, 2L);
        assertThat(batches.get(0)).allSatisfy(event -> {
            assertThat(event.table()).isEqualTo("t");
            assertThat(event.transaction().orElseThrow().eventCount()).hasValue(2);
        });
    }

    private SourceRecord begin(String id) {
        return transactionRecord("BEGIN", id, null);
    }

    private SourceRecord end(String id, long eventCount) {
        return transactionRecord("END", id, eventCount);
    }

    private SourceRecord transactionRecord(String status, String id, Long eventCount) {
        Struct value = new Struct(TX_VALUE).put("status", status).put("id", id).put("event_count", eventCount)
                .put("ts_ms", 77_000L);
        return new SourceRecord(Map.of("server", PREFIX), offset(), PREFIX + ".transaction", null, value.schema(),
                value);
    }

    private SourceRecord insert(String transactionId, int id, long totalOrder) {
        return insert(transactionId, "t", id, totalOrder);
    }

    private SourceRecord insert(String transactionId, String table, int id, long totalOrder) {
        Struct block = new Struct(TX_BLOCK).put("id", transactionId).put("total_order", totalOrder)
                .put("data_collection_order", totalOrder);
        return change("c", table, id, transactionId, block);
    }

    private SourceRecord read(int id, String snapshotMarker) {
        return change("r", "t", id, snapshotMarker);
    }

    /** A snapshot read of a table, with Debezium's {@code source.snapshot} marker. */
    private SourceRecord change(String op, String table, int id, String snapshotMarker) {
        Struct source = new Struct(SOURCE).put("db", "db").put("table", table).put("server_id", 1L)
                .put("file", "binlog.000001").put("pos", 4L).put("row", 0).put("ts_ms", 1000L)
                .put("snapshot", snapshotMarker);
        Struct value = new Struct(ENVELOPE).put("after", row(id)).put("source", source).put("op", op);
        return new SourceRecord(Map.of("server", PREFIX), offset(), PREFIX + ".db." + table, ROW, row(id), ENVELOPE,
                value);
    }

    private SourceRecord change(String op, String table, int id, String gtid, Struct block) {
        Struct source = new Struct(SOURCE).put("db", "db").put("table", table).put("server_id", 1L).put("gtid", gtid)
                .put("file", "binlog.000001").put("pos", 4L).put("row", 0).put("ts_ms", 1000L);
        Struct value = new Struct(ENVELOPE).put("after", row(id)).put("source", source).put("op", op)
                .put("transaction", block);
        return new SourceRecord(Map.of("server", PREFIX), offset(), PREFIX + ".db." + table, ROW, row(id), ENVELOPE,
                value);
    }

    private static Struct row(int id) {
        return new Struct(ROW).put("id", id);
    }

    /** A distinct offset per record, so that tests can tell which record's offset was stored. */
    private Map<String, ?> offset() {
        return Map.of("file", "binlog.000001", "pos", ++position);
    }

    /** A mapping that captures the rows of every table but {@code copy}. */
    private static PhysicalToLogical everyTableButCopy() {
        return new PhysicalToLogical() {
            @Override
            public LogicalTable logicalTable(String group, String database, String table) {
                return new LogicalTable(database, table);
            }

            @Override
            public boolean capturesRows(String group, String database, String table) {
                return !table.equals("copy");
            }
        };
    }
}
