package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shardwire.cdc.CaptureOptions;
import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.EventTransaction;
import io.shardwire.cdc.event.Operation;
import io.shardwire.cdc.event.SchemaChangeEvent;
import io.shardwire.mq.QueueStore;
import io.shardwire.proxy.demo.DemoSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Change capture as the proxy runs it, on 2 shard groups of real mariadbd: writes through the proxy and directly
 * on a shard primary reach the queue's change topic exactly once, in commit order per row, in logical names, and a
 * transaction becomes visible whole.
 */
class ChangeCaptureIT {

    private static final Duration EVENTS_TIMEOUT = Duration.ofSeconds(60);
    /** Long enough for a duplicate or a late part to arrive; nothing is supposed to. */
    private static final Duration SETTLE = Duration.ofSeconds(1);

    private static ProxyFixture fixture;
    private static QueueStore queue;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.startWithCapture("cdc", 2, 0);
        queue = fixture.proxy.queue();
        try (Connection admin = fixture.connect("admin", "admin", "")) {
            DemoSchema.create(admin);
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void insertsUpdatesAndDeletesThroughTheProxyAppearExactlyOnceInCommitOrderWithTheirImages() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (long id = 1000; id < 1040; id++) {
            ids.add(id);
        }
        try (Connection app = fixture.app(); Statement s = app.createStatement()) {
            for (long id : ids) {
                s.execute("INSERT INTO customers (id, name, email, created_at) VALUES (" + id + ", 'n" + id
                        + "', 'c" + id + "@example.com', '2026-11-26 10:00:00')");
            }
            for (long id : ids) {
                s.execute("UPDATE customers SET name = 'renamed" + id + "' WHERE id = " + id);
            }
            for (long id : ids) {
                s.execute(id % 2 == 0 ? "DELETE FROM customers WHERE id = " + id
                        : "UPDATE customers SET name = 'again" + id + "' WHERE id = " + id);
            }
        }

        Predicate<ChangeEvent> ours = event -> event.table().equals("customers")
                && ids.contains(event.key().path("id").asLong());
        List<ChangeTopic.Stored> stored = awaitSettled(ours, ids.size() * 3);

        assertThat(stored).hasSize(ids.size() * 3);
        assertThat(stored).extracting(each -> each.event().id()).doesNotHaveDuplicates();
        assertThat(stored).allSatisfy(each -> {
            ChangeEvent event = each.event();
            assertThat(event.schema()).as("logical schema").isEqualTo("shop");
            assertThat(event.source().database()).as("physical database, in source only").matches("shop_[0-3]");
            assertThat(event.source().table()).isEqualTo("customers_" + event.source().database().substring(5));
            assertThat(each.partition()).as("the group's partition")
                    .isEqualTo(Integer.parseInt(event.source().group().substring(1)));
        });
        assertThat(stored).extracting(ChangeTopic.Stored::partition).as("both groups captured").contains(0, 1);

        Map<Long, List<ChangeTopic.Stored>> byRow = stored.stream().collect(Collectors.groupingBy(
                each -> each.event().key().get("id").asLong(), LinkedHashMap::new, Collectors.toList()));
        assertThat(byRow).hasSize(ids.size());
        byRow.forEach((id, row) -> {
            assertThat(row).extracting(ChangeTopic.Stored::offset).as("row %d in offset order", id).isSorted();
            List<ChangeEvent> events = row.stream().map(ChangeTopic.Stored::event).toList();
            assertThat(events).extracting(ChangeEvent::op).as("row %d", id).containsExactly(Operation.CREATE,
                    Operation.UPDATE, id % 2 == 0 ? Operation.DELETE : Operation.UPDATE);
            assertThat(name(events.get(0).after().orElseThrow())).isEqualTo("n" + id);
            assertThat(events.get(0).after().orElseThrow().get("email").asText()).isEqualTo("c" + id + "@example.com");
            assertThat(name(events.get(1).after().orElseThrow())).isEqualTo("renamed" + id);
            if (id % 2 == 1) {
                assertThat(name(events.get(2).after().orElseThrow())).isEqualTo("again" + id);
            }
            for (int i = 1; i < events.size(); i++) {
                assertThat(events.get(i).before()).as("row %d event %d before image = the previous after", id, i)
                        .isEqualTo(events.get(i - 1).after());
            }
        });
    }

    @Test
    void aTransactionOfThreeRowsBecomesVisibleWholeNeverInPart() throws Exception {
        Predicate<ChangeEvent> ours = event -> event.table().equals("orders")
                && event.key().path("id").asLong() >= 5001 && event.key().path("id").asLong() <= 5003;
        AtomicBoolean watching = new AtomicBoolean(true);
        // A consumer that reads each partition up to its end again and again, noting how many of the three it saw.
        CompletableFuture<List<Integer>> seen = CompletableFuture.supplyAsync(() -> {
            List<Integer> counts = new ArrayList<>();
            try {
                while (watching.get()) {
                    int count = 0;
                    for (int partition = 0; partition < 2; partition++) {
                        long end = queue.latestOffset(CaptureOptions.DEFAULT_TOPIC, partition);
                        count += (int) ChangeTopic.read(queue, partition, end).stream()
                                .filter(each -> ours.test(each.event())).count();
                    }
                    counts.add(count);
                    if (count >= 3) {
                        return counts;
                    }
                }
                return counts;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (Connection app = fixture.app();
             PreparedStatement insert = app.prepareStatement("INSERT INTO orders (id, customer_id, product_id,"
                     + " quantity, amount, created_at) VALUES (?, 77, 1, ?, 9.99, '2026-11-26 10:00:00')")) {
            app.setAutoCommit(false);
            for (int i = 1; i <= 3; i++) {
                insert.setLong(1, 5000 + i);
                insert.setInt(2, i);
                insert.executeUpdate();
                Thread.sleep(100); // the consumer keeps reading while the transaction is open
            }
            app.commit();
        }
        List<Integer> counts;
        try {
            counts = seen.get(EVENTS_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            watching.set(false);
        }
        assertThat(counts).as("what the consumer saw of the transaction, read after read").contains(0, 3)
                .containsOnly(0, 3);

        List<ChangeTopic.Stored> stored = awaitSettled(ours, 3);
        assertThat(stored).hasSize(3);
        assertThat(stored).extracting(ChangeTopic.Stored::sequence).as("one append").containsOnly(
                stored.get(0).sequence());
        List<EventTransaction> transactions = stored.stream().map(each -> each.event().transaction().orElseThrow())
                .toList();
        assertThat(transactions).extracting(EventTransaction::totalOrder).containsExactly(1L, 2L, 3L);
        assertThat(transactions).allSatisfy(tx -> assertThat(tx.eventCount()).hasValue(3));
        assertThat(stored).extracting(each -> each.event().after().orElseThrow().get("quantity").asInt())
                .containsExactly(1, 2, 3);
    }

    @Test
    void aChangeMadeDirectlyOnAShardPrimaryIsCapturedUnderLogicalNames() throws Exception {
        try (Connection direct = fixture.cluster.group("g1").primary().connect();
             Statement s = direct.createStatement()) {
            s.execute("INSERT INTO shop_3.customers_3 (id, name, email, created_at)"
                    + " VALUES (9001, 'direct', 'direct@example.com', '2026-11-26 11:00:00')");
        }
        List<ChangeTopic.Stored> stored = awaitSettled(event -> event.table().equals("customers")
                && event.key().path("id").asLong() == 9001, 1);
        assertThat(stored).singleElement().satisfies(each -> {
            assertThat(each.partition()).isEqualTo(1);
            assertThat(each.event().op()).isEqualTo(Operation.CREATE);
            assertThat(each.event().schema()).isEqualTo("shop");
            assertThat(each.event().source().group()).isEqualTo("g1");
            assertThat(each.event().source().database()).isEqualTo("shop_3");
            assertThat(name(each.event().after().orElseThrow())).isEqualTo("direct");
        });
    }

    @Test
    void aWriteToABroadcastTableIsOneEventThoughEveryDataNodeHoldsACopy() throws Exception {
        try (Connection app = fixture.app(); Statement s = app.createStatement()) {
            s.execute("INSERT INTO products (id, name, price) VALUES (801, 'lamp', 19.90)");
            s.execute("UPDATE products SET price = 17.50 WHERE id = 801");
        }
        try (Connection direct = fixture.cluster.group("g1").primary().connect();
             Statement s = direct.createStatement();
             ResultSet copies = s.executeQuery("SELECT COUNT(*) FROM shop_2.products WHERE id = 801")) {
            copies.next();
            assertThat(copies.getInt(1)).as("the copy on a data node of g1").isEqualTo(1);
        }
        List<ChangeTopic.Stored> stored = awaitSettled(event -> event.table().equals("products")
                && event.key().path("id").asLong() == 801, 2);
        assertThat(stored).extracting(each -> each.event().op()).containsExactly(Operation.CREATE, Operation.UPDATE);
        assertThat(stored).allSatisfy(each -> {
            assertThat(each.event().schema()).isEqualTo("shop");
            assertThat(each.event().source().database()).as("the first copy").isEqualTo("shop_0");
        });
        assertThat(stored.get(1).event().after().orElseThrow().get("price").asText()).isEqualTo("17.50");
    }

    @Test
    void anAlterTableThroughTheProxyIsOneLogicalSchemaChangeAndLaterRowsCarryTheNewColumn() throws Exception {
        // A column and rows of this run's own: a rerun on kept data directories finds the last run's in place.
        long run = System.currentTimeMillis();
        String column = "note_" + Long.toString(run, 36);
        List<Long> ids = idsOnBothGroups(10_000_000 + (run / 1000 % 1_000_000) * 100, 8);
        try (Connection admin = fixture.connect("admin", "admin", "shop"); Statement s = admin.createStatement()) {
            s.execute("ALTER TABLE customers ADD COLUMN " + column + " VARCHAR(20)");
            for (long id : ids) {
                s.execute("INSERT INTO customers (id, name, email, created_at, " + column + ") VALUES (" + id
                        + ", 'n', 'n" + id + "@example.com', '2026-11-26 12:00:00', 'v" + id + "')");
            }
        }
        try (Connection direct = fixture.cluster.group("g1").primary().connect();
             Statement s = direct.createStatement();
             ResultSet altered = s.executeQuery("SELECT COUNT(*) FROM information_schema.COLUMNS"
                     + " WHERE TABLE_NAME LIKE 'customers\\_%' AND COLUMN_NAME = '" + column + "'")) {
            altered.next();
            assertThat(altered.getInt(1)).as("the physical tables of g1 altered too").isEqualTo(2);
        }

        List<ChangeTopic.Stored> rows = awaitSettled(event -> event.table().equals("customers")
                && ids.contains(event.key().path("id").asLong()), ids.size());
        assertThat(rows).hasSize(ids.size());
        assertThat(rows).extracting(ChangeTopic.Stored::partition).as("rows on both groups").contains(0, 1);
        assertThat(rows).allSatisfy(each -> assertThat(each.event().after().orElseThrow().path(column).asText())
                .as("the new column in row %s", each.event().key()).isEqualTo("v" + each.event().key().get("id")));

        List<SchemaChangeEvent> changes = new ArrayList<>();
        for (int partition = 0; partition < 2; partition++) {
            for (SchemaChangeEvent change : ChangeTopic.schemaChanges(queue, partition)) {
                if (change.ddl().contains(column)) {
                    changes.add(change);
                }
            }
        }
        assertThat(changes).as("one schema change for 4 physical tables on 2 groups").singleElement()
                .satisfies(change -> {
                    assertThat(change.schema() + "." + change.table()).isEqualTo("shop.customers");
                    assertThat(change.ddl()).as("logical names only").doesNotContain("customers_", "shop_")
                            .containsIgnoringCase("ADD COLUMN " + column);
                    assertThat(change.tableChange().get("type").asText()).isEqualTo("ALTER");
                    assertThat(change.tableChange().get("id").asText()).isEqualTo("\"shop\".\"customers\"");
                    assertThat(change.tableChange().at("/table/columns").findValuesAsText("name")).contains("id",
                            column);
                    assertThat(change.source().group()).isEqualTo("g0");
                    assertThat(change.source().database() + "." + change.source().table())
                            .as("the first physical table").isEqualTo("shop_0.customers_0");
                    assertThat(change.source().gtid()).isPresent();
                });
    }

    /** Waits for {@code count} matching events, lets anything extra arrive, and returns every matching one. */
    /**
     * {@code count} ids from {@code from} on, half of them on each group: customers are placed by a hash of the id, so
     * a run of consecutive ids lands on one group now and then.
     */
    private static List<Long> idsOnBothGroups(long from, int count) throws SQLException {
        List<Long> g0 = new ArrayList<>();
        List<Long> g1 = new ArrayList<>();
        try (Connection app = fixture.app(); Statement s = app.createStatement()) {
            for (long id = from; g0.size() < count / 2 || g1.size() < count / 2; id++) {
                try (ResultSet plan = s.executeQuery("EXPLAIN SHARDWIRE SELECT * FROM customers WHERE id = " + id)) {
                    plan.next();
                    List<Long> group = plan.getString("shard_group").equals("g0") ? g0 : g1;
                    if (group.size() < count / 2) {
                        group.add(id);
                    }
                }
            }
        }
        List<Long> ids = new ArrayList<>(g0);
        ids.addAll(g1);
        return ids.stream().sorted().toList();
    }

    private static List<ChangeTopic.Stored> awaitSettled(Predicate<ChangeEvent> matching, int count)
            throws Exception {
        await().atMost(EVENTS_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(
                () -> matching(matching).size() >= count);
        Thread.sleep(SETTLE.toMillis());
        return matching(matching);
    }

    private static List<ChangeTopic.Stored> matching(Predicate<ChangeEvent> matching) throws Exception {
        return ChangeTopic.read(queue).stream().filter(each -> matching.test(each.event())).toList();
    }

    private static String name(ObjectNode row) {
        return row.get("name").asText();
    }
}
