package io.shardwire.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.PhysicalToLogical;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * DDL made directly on the shard as the capture begins its first snapshot (not held, unlike DDL through the proxy):
 * a captured database created then, a new table and a new column: the capture streams on and holds every row once
 * (the snapshot is staged, so its reads reach the partition once, whole).
 */
class SnapshotDdlTest {

    private static final int ROWS = 20_000;

    @Test
    void ddlOnTheShardDuringTheFirstSnapshotDoesNotStopTheCapture() throws Exception {
        try (CaptureFixture fixture = CaptureFixture.create("snapddl")) {
            SharedCluster.execute("CREATE TABLE " + fixture.table("bulk") + " (id INT PRIMARY KEY, pad VARCHAR(100))");
            try (Connection c = SharedCluster.primary().connect(); Statement s = c.createStatement()) {
                s.execute("USE " + fixture.database);
                s.execute("INSERT INTO bulk SELECT seq, REPEAT('x', 100) FROM seq_1_to_" + ROWS);
            }
            String created = fixture.database + "_new";
            try (ChangeCaptures captures = ChangeCaptures.start(List.of(CaptureFixture.group()),
                    fixture.options().withDatabases(List.of(fixture.database, created)), fixture.queue,
                    PhysicalToLogical.IDENTITY, Clock.systemUTC())) {
                // A captured database that did not exist when the snapshot began, and a new table in one that did.
                SharedCluster.execute("CREATE DATABASE " + created,
                        "CREATE TABLE " + created + ".t (id INT PRIMARY KEY)",
                        "INSERT INTO " + created + ".t VALUES (1)",
                        "CREATE TABLE " + fixture.table("later") + " (id INT PRIMARY KEY, name VARCHAR(20))",
                        "INSERT INTO " + fixture.table("later") + " VALUES (1, 'a')",
                        "ALTER TABLE " + fixture.table("bulk") + " ADD COLUMN extra INT",
                        "INSERT INTO " + fixture.table("bulk") + " VALUES (" + (ROWS + 1) + ", 'y', 7)");
                System.out.println("SnapshotDdlTest: DDL sent while " + captures.health());
                captures.awaitStreaming(Duration.ofSeconds(120));
                SharedCluster.execute("INSERT INTO " + fixture.table("later") + " VALUES (2, 'b')");
                List<ChangeLog.Stored> stored = fixture.awaitAtLeast(ROWS + 4);
                System.out.println("SnapshotDdlTest: " + captures.health());
                assertThat(captures.health()).allSatisfy(health -> assertThat(health.failure()).isEmpty());
                List<ChangeEvent> events = ChangeLog.events(stored);
                // Row ROWS + 1 is a read or a create: the DDL and its insert land before or after the snapshot began.
                assertThat(events.stream().filter(event -> event.table().equals("bulk"))
                        .map(event -> event.key().get("id").asInt()).sorted().toList())
                        .isEqualTo(IntStream.rangeClosed(1, ROWS + 1).boxed().toList());
                assertThat(events.stream().filter(event -> event.table().equals("t"))
                        .map(event -> event.key().get("id").asInt()).toList()).containsExactly(1);
                assertThat(events).extracting(ChangeEvent::id).doesNotHaveDuplicates();
                assertThat(events.stream().filter(event -> event.table().equals("later"))
                        .map(event -> event.key().get("id").asInt()).toList()).containsExactly(1, 2);
            }
        }
    }
}
