package io.shardwire.cdc;

import io.shardwire.cdc.event.PhysicalToLogical;
import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * A test's own database on the shared primary, its own queue and CDC directory, and the captures it starts:
 * everything a capture test needs, closed together.
 */
final class CaptureFixture implements AutoCloseable {

    static final Duration STREAMING_TIMEOUT = Duration.ofSeconds(90);
    static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    final String database;
    final Path dir;
    final QueueStore queue;
    private ChangeCaptures captures;

    private CaptureFixture(String database, Path dir, QueueStore queue) {
        this.database = database;
        this.dir = dir;
        this.queue = queue;
    }

    /** Creates the database and opens the queue; nothing captures yet. */
    static CaptureFixture create(String prefix) throws SQLException, IOException {
        String database = SharedCluster.uniqueName(prefix);
        SharedCluster.execute("CREATE DATABASE " + database);
        Path dir = SharedCluster.ROOT.resolve(database);
        return new CaptureFixture(database, dir, QueueStore.open(QueueSettings.defaults(dir.resolve("queue")),
                Clock.systemUTC()));
    }

    /**
     * @param suffix names the new directory
     * @return a fixture on the same database with a queue and CDC directory of its own
     */
    CaptureFixture onSameDatabase(String suffix) throws IOException {
        Path other = SharedCluster.ROOT.resolve(database + "-" + suffix);
        return new CaptureFixture(database, other, QueueStore.open(QueueSettings.defaults(other.resolve("queue")),
                Clock.systemUTC()));
    }

    /** @return the options every test starts from: this database only, the shared capture account */
    CaptureOptions options() {
        return CaptureOptions.defaults(SharedCluster.CDC_USER, SharedCluster.CDC_PASSWORD, 7000, dir.resolve("cdc"))
                .withDatabases(List.of(database));
    }

    /** @return the shared primary as group g0 */
    static GroupSource group() throws SQLException {
        return new GroupSource("g0", "127.0.0.1", SharedCluster.primary().port());
    }

    /** Starts capturing with {@link #options()} and waits until streaming. */
    ChangeCaptures startCapture() throws Exception {
        return startCapture(options());
    }

    /** Starts capturing with these options and waits until streaming. */
    ChangeCaptures startCapture(CaptureOptions options) throws IOException, SQLException, TimeoutException,
            InterruptedException {
        captures = ChangeCaptures.start(List.of(group()), options, queue, PhysicalToLogical.IDENTITY,
                Clock.systemUTC());
        captures.awaitStreaming(STREAMING_TIMEOUT);
        return captures;
    }

    /** Stops the running capture, keeping the queue open. */
    void stopCapture() {
        if (captures != null) {
            captures.close();
            captures = null;
        }
    }

    /** @return every event in the group's partition */
    List<ChangeLog.Stored> read() throws IOException, InterruptedException {
        return ChangeLog.read(queue, CaptureOptions.DEFAULT_TOPIC, 0);
    }

    /** Waits for at least {@code count} events in the group's partition and returns them all. */
    List<ChangeLog.Stored> awaitAtLeast(int count) throws IOException, InterruptedException {
        return ChangeLog.awaitAtLeast(queue, CaptureOptions.DEFAULT_TOPIC, 0, count, EVENT_TIMEOUT);
    }

    /** @return {@code <database>.<table>} */
    String table(String table) {
        return database + "." + table;
    }

    @Override
    public void close() throws IOException {
        stopCapture();
        queue.close();
    }
}
