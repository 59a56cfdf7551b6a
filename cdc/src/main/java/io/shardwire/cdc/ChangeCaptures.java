package io.shardwire.cdc;

import io.shardwire.cdc.debezium.DebeziumChangeCapture;
import io.shardwire.cdc.event.PhysicalToLogical;
import io.shardwire.cdc.keyed.KeyPartitioner;
import io.shardwire.mq.QueueStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The change captures of all shard groups, into one topic with a partition per group: group {@code i} of the list
 * writes partition {@code i} as producer {@code cdc-<group>} and reads the binlog as {@code serverIdBase + i}, so
 * each group's binlog order is its partition's order.
 *
 * <p>The group order must stay the same across restarts, and the group count too: the topic's partition count
 * cannot change. With {@link CaptureOptions#keyPartitions()} the changes are also copied into
 * {@link CaptureOptions#keyedTopic()}, spread by logical table and primary key ({@link KeyPartitioner}).
 *
 * <p>How the proxy starts CDC, with {@code cdc} its {@code CdcConfig}:
 * <pre>{@code
 * for (Connection admin : groupPrimaryAdminConnections) {
 *     ReplicationAccount.ensure(admin, cdc.user(), cdc.password(), "%");
 * }
 * CaptureOptions options = CaptureOptions.defaults(cdc.user(), cdc.password(), cdc.serverIdBase(), cdcDataDir);
 * ChangeCaptures captures = ChangeCaptures.start(groups, options, queue, router::logicalTable, Clock.systemUTC());
 * captures.awaitStreaming(Duration.ofMinutes(5)); // longer if the first start snapshots much data
 * ...
 * captures.close(); // before the queue is closed
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ChangeCaptures implements AutoCloseable {

    /** In group order; a group's entry is replaced when its capture moves to a new primary. */
    private final List<ChangeCapture> captures;
    private final List<GroupSource> sources;
    /** Null unless {@link CaptureOptions#keyPartitions()} asks for the keyed topic. */
    private final KeyPartitioner keyPartitioner;
    private final CaptureOptions options;
    private final QueueStore queue;
    private final PhysicalToLogical mapping;
    private final Clock clock;
    /** Per group, in group order: the times no replica acknowledged a transaction in time, across moves. */
    private final List<AtomicLong> replicaAckTimeouts;

    private ChangeCaptures(List<ChangeCapture> captures, List<GroupSource> sources, KeyPartitioner keyPartitioner,
                           CaptureOptions options, QueueStore queue, PhysicalToLogical mapping, Clock clock,
                           List<AtomicLong> replicaAckTimeouts) {
        this.captures = new CopyOnWriteArrayList<>(captures);
        this.sources = new CopyOnWriteArrayList<>(sources);
        this.keyPartitioner = keyPartitioner;
        this.options = options;
        this.queue = queue;
        this.mapping = mapping;
        this.clock = clock;
        this.replicaAckTimeouts = List.copyOf(replicaAckTimeouts);
    }

    /**
     * Creates the topic if needed and starts a capture per group, each resuming from its position in the queue.
     *
     * @param groups  the groups' primaries, in a fixed order
     * @param options the shared options
     * @param queue   the queue, open for as long as the captures run
     * @param mapping from physical to logical tables
     * @param clock   for the events' processing time
     * @return the running captures; {@link #awaitStreaming} waits until each reads its binlog
     * @throws IOException if the topic cannot be created
     * @throws io.shardwire.cdc.source.CaptureRefusedException if a primary's binlog cannot be captured; the captures
     *     started before it are stopped again
     */
    public static ChangeCaptures start(List<GroupSource> groups, CaptureOptions options, QueueStore queue,
            PhysicalToLogical mapping, Clock clock) throws IOException {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("groups: [] (expected: at least one shard group)");
        }
        if (groups.stream().map(GroupSource::group).distinct().count() != groups.size()) {
            throw new IllegalArgumentException("groups: " + groups + " (expected: distinct group names)");
        }
        queue.createTopic(options.topic(), groups.size());
        List<ChangeCapture> started = new ArrayList<>();
        List<AtomicLong> ackTimeouts = groups.stream().map(group -> new AtomicLong()).toList();
        try {
            for (int i = 0; i < groups.size(); i++) {
                ChangeCapture capture = DebeziumChangeCapture.create(groups.get(i), i, options.serverIdBase() + i,
                        options, queue, mapping, clock, ackTimeouts.get(i));
                capture.start();
                started.add(capture);
            }
        } catch (RuntimeException e) {
            for (ChangeCapture capture : started) {
                try {
                    capture.close();
                } catch (RuntimeException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            throw e;
        }
        KeyPartitioner keyed = null;
        if (options.keyPartitions() > 0) {
            try {
                keyed = KeyPartitioner.start(queue, options.topic(), options.keyedTopic(), options.keyPartitions());
            } catch (IOException | RuntimeException e) {
                new ChangeCaptures(started, groups, null, options, queue, mapping, clock, ackTimeouts).close();
                throw e;
            }
        }
        return new ChangeCaptures(started, groups, keyed, options, queue, mapping, clock, ackTimeouts);
    }

    /**
     * Moves a group's capture to another server, its new primary after a failover: stops the running capture, then
     * starts one on the new primary that resumes from the queue's position by GTID (the promoted replica's binlog
     * has the old primary's transactions under their own GTIDs), so nothing is lost or stored twice.
     *
     * @param next the group's new primary and the replicas that follow it now (not the old primary)
     * @throws IllegalArgumentException if no capture runs for the group
     * @throws io.shardwire.cdc.source.CaptureRefusedException if the new server's binlog cannot be captured, or does
     *     not hold what the queue holds (see {@code GtidResume}); the group's capture is then FAILED with that reason
     */
    public synchronized void moveTo(GroupSource next) {
        int index = -1;
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i).group().equals(next.group())) {
                index = i;
            }
        }
        if (index < 0) {
            throw new IllegalArgumentException("group: '" + next.group() + "' (expected one of " + sources + ")");
        }
        captures.get(index).close();
        ChangeCapture capture = DebeziumChangeCapture.create(next, index, options.serverIdBase() + index, options, queue,
                mapping, clock, replicaAckTimeouts.get(index));
        // In the list before it starts: a refused start leaves it there FAILED, saying why, not the old one STOPPED.
        captures.set(index, capture);
        sources.set(index, next);
        capture.start();
    }

    /**
     * Waits until every group's capture reads its binlog.
     *
     * @param timeout how long to wait for all of them together
     * @throws TimeoutException      if one is not streaming by then
     * @throws IllegalStateException if one failed
     * @throws InterruptedException  if interrupted
     */
    public void awaitStreaming(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ChangeCapture capture : captures) {
            capture.awaitStreaming(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    /** @return each group's capture, in group order */
    public List<ChangeCapture> captures() {
        return List.copyOf(captures);
    }

    /** @return each group's health, in group order */
    public List<CaptureHealth> health() {
        return captures.stream().map(ChangeCapture::health).toList();
    }

    /**
     * @return per group, in group order, the times no replica acknowledged a transaction within
     *     {@link CaptureOptions#replicaAckTimeout()}, since the start (a moved capture counts on)
     */
    public List<Long> replicaAckTimeouts() {
        return replicaAckTimeouts.stream().map(AtomicLong::get).toList();
    }

    /** @return each group's progress, in group order */
    public List<CaptureProgress> progress() {
        return captures.stream().map(ChangeCapture::progress).toList();
    }

    /** Stops every capture, then the copy into the keyed topic. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (ChangeCapture capture : captures) {
            try {
                capture.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (keyPartitioner != null) {
            keyPartitioner.close();
        }
        if (first != null) {
            throw first;
        }
    }
}
