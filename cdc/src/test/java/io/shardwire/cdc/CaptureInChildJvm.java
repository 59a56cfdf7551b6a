package io.shardwire.cdc;

import io.shardwire.cdc.event.PhysicalToLogical;
import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Run by {@link KillNineTest} in a child JVM, to be killed there with SIGKILL: captures group g0 (the parent's
 * server) into a queue, prints {@value #STREAMING} once it reads the binlog, and then either waits to be killed
 * (printing {@value #STORED} once the queue holds an event, so a position to resume from) or, given an expected
 * event count, waits until the queue holds that many events, prints {@value #CAUGHT_UP} and stops cleanly.
 *
 * <p>Arguments: port, queue dir, CDC dir, database, expected event count (0 to wait for the kill), and optionally
 * the most events per batch ({@link CaptureOptions#maxTransactionEvents}).
 */
public final class CaptureInChildJvm {

    static final String STREAMING = "CAPTURE-STREAMING";
    static final String CAUGHT_UP = "CAPTURE-CAUGHT-UP";
    static final String STORED = "CAPTURE-STORED";

    private CaptureInChildJvm() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path queueDir = Path.of(args[1]);
        Path cdcDir = Path.of(args[2]);
        String database = args[3];
        long expected = Long.parseLong(args[4]);
        CaptureOptions defaults = CaptureOptions.defaults(SharedCluster.CDC_USER, SharedCluster.CDC_PASSWORD, 7000,
                cdcDir).withDatabases(List.of(database));
        CaptureOptions options = args.length > 5
                ? defaults.withMaxTransactionEvents(Integer.parseInt(args[5])) : defaults;
        try (QueueStore queue = QueueStore.open(QueueSettings.defaults(queueDir), Clock.systemUTC());
             ChangeCaptures captures = ChangeCaptures.start(List.of(new GroupSource("g0", "127.0.0.1", port)),
                     options, queue, PhysicalToLogical.IDENTITY, Clock.systemUTC())) {
            captures.awaitStreaming(Duration.ofSeconds(90));
            System.out.println(STREAMING);
            System.out.flush();
            if (expected == 0) {
                while (queue.latestOffset(options.topic(), 0) == 0) {
                    Thread.sleep(20);
                }
                System.out.println(STORED);
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (queue.latestOffset(options.topic(), 0) < expected && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            System.out.println(CAUGHT_UP + " " + queue.latestOffset(options.topic(), 0));
            System.out.flush();
        }
    }
}
