package io.shardwire.cdc.debezium;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.engine.spi.OffsetCommitPolicy;
import io.shardwire.cdc.CaptureHealth;
import io.shardwire.cdc.CaptureProgress;
import io.shardwire.cdc.CaptureOptions;
import io.shardwire.cdc.CaptureState;
import io.shardwire.cdc.ChangeCapture;
import io.shardwire.cdc.GroupSource;
import io.shardwire.cdc.SnapshotMode;
import io.shardwire.cdc.event.PhysicalToLogical;
import io.shardwire.cdc.source.BinlogSettingsCheck;
import io.shardwire.cdc.source.CaptureRefusedException;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.Topic;
import io.shardwire.mq.log.SourcePosition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group's {@link ChangeCapture}: a Debezium embedded engine (the async engine, on a thread of its own) running
 * the MariaDB connector against the group's primary, whose records {@link TransactionBatcher} turns into one queue
 * append per source transaction.
 *
 * <p><b>Exactly once.</b> Each append carries Debezium's offset after its last event as its source position, and the
 * engine starts from the position of the group's producer in the queue (see {@link QueueOffsetBackingStore}). So
 * the queue holds an event if and only if it holds the offset past it: a crash at any point loses nothing and
 * repeats nothing. The engine is told a record is processed only once its batch is stored, and commits its offsets
 * on every batch; its in-memory offsets, from which the connector restarts itself after a retriable error, so never
 * differ from the queue's. While an XA branch is prepared and undecided (its rows parked in the batcher, in memory),
 * the stored position also names an earlier place to resume reading, before that branch, and the GTID sequence of
 * the last stored transaction, below which what is read again is dropped (see {@link TransactionBatcher}); an
 * in-process restart of the connector keeps the batcher and so its parked rows.
 *
 * <p><b>Schema history</b> is a file, {@code <dataDir>/cdc-<group>.schema-history.dat}, written by Debezium ahead of
 * the queue (a table's structure is recorded before its events are stored), which is safe: Debezium replays it only
 * up to the stored offset. A history without a position in the queue is left over from a start whose events never
 * reached the queue, and is deleted; a position without a history is refused unless the snapshot mode is
 * {@link SnapshotMode#RECOVERY}.
 *
 * <p><b>Replicas first.</b> A batch is stored only once a replica of the group holds it ({@link ReplicaAckGate}),
 * so that a failover, which promotes the most advanced replica, finds everything the queue has on the new primary.
 *
 * <p>Thread-safe.
 */
public final class DebeziumChangeCapture implements ChangeCapture {

    private static final Logger LOG = LoggerFactory.getLogger(DebeziumChangeCapture.class);
    private static final Duration READY_POLL = Duration.ofMillis(20);
    private static final Duration ENGINE_STOP_TIMEOUT = Duration.ofMinutes(1);

    private final GroupSource source;
    private final int partition;
    private final long serverId;
    private final CaptureOptions options;
    private final QueueStore queue;
    private final PhysicalToLogical mapping;
    private final Clock clock;
    private final StreamingMetrics metrics;
    private final AtomicLong replicaAckTimeouts;
    private final Object lifecycle = new Object();

    /** NEW, CONNECTING while the engine runs (see {@link #currentState()}), STOPPED or FAILED. */
    private volatile CaptureState state = CaptureState.NEW;
    private volatile String failure;
    /** Set by {@link #close()}, so that an engine whose start waited for the snapshot staging does not run after it. */
    private volatile boolean closed;
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private ExecutorService runner;
    private volatile QueueBatchWriter writer;
    private volatile BinlogXaGroups xaGroups;
    private volatile ReplicaAckGate gate;

    private DebeziumChangeCapture(GroupSource source, int partition, long serverId, CaptureOptions options,
            QueueStore queue, PhysicalToLogical mapping, Clock clock, AtomicLong replicaAckTimeouts) {
        this.source = source;
        this.partition = partition;
        this.serverId = serverId;
        this.options = options;
        this.queue = queue;
        this.mapping = new CapturedDatabasesOnly(mapping, options.databases());
        this.clock = clock;
        this.metrics = new StreamingMetrics(EngineProperties.topicPrefix(source));
        this.replicaAckTimeouts = replicaAckTimeouts;
    }

    /**
     * Creates a capture; {@link #start()} starts it.
     *
     * @param source    the group's primary
     * @param partition the group's partition of {@link CaptureOptions#topic()}, which must exist
     * @param serverId  the replica {@code server_id} the capture reads the binlog as, unique in the group
     * @param options   the shared options
     * @param queue     the queue
     * @param mapping   from physical to logical tables
     * @param clock     for the events' processing time
     * @param replicaAckTimeouts counts the times no replica acknowledged a transaction in time (see
     *                  {@link CaptureOptions#replicaAckTimeout()})
     * @return the capture
     */
    public static DebeziumChangeCapture create(GroupSource source, int partition, long serverId,
            CaptureOptions options, QueueStore queue, PhysicalToLogical mapping, Clock clock,
            AtomicLong replicaAckTimeouts) {
        Topic topic = queue.topic(options.topic()).orElseThrow(() -> new IllegalArgumentException("topic "
                + options.topic() + " does not exist in " + queue + "; create it with a partition per group first"));
        if (partition < 0 || partition >= topic.partitionCount()) {
            throw new IllegalArgumentException("partition: " + partition + " (expected: 0.."
                    + (topic.partitionCount() - 1) + ", the partitions of " + options.topic() + ")");
        }
        if (serverId < 1 || serverId > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("serverId: " + serverId + " (expected: 1 to " + 0xFFFF_FFFFL + ")");
        }
        return new DebeziumChangeCapture(source, partition, serverId, options, queue, mapping, clock,
                replicaAckTimeouts);
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (state != CaptureState.NEW) {
                throw new IllegalStateException(source + ": capture already started (state " + state
                        + "); create a new one to resume");
            }
            String producerId = source.producerId();
            Optional<SourcePosition> stored = queue.lastPosition(producerId);
            Optional<CapturePosition> position = stored.map(each -> CapturePosition.decode(each.bytes()));
            boolean resumeByGtid;
            try {
                resumeByGtid = checkServer(position);
            } catch (CaptureRefusedException e) {
                failure = e.getMessage();
                state = CaptureState.FAILED;
                throw e;
            }
            Path history = prepareSchemaHistory(stored.isPresent());
            gate = new ReplicaAckGate(source.group(), source.replicas(), options.user(), options.password(),
                    options.replicaAckTimeout(), replicaAckTimeouts);
            QueueBatchWriter batchWriter = new QueueBatchWriter(queue, options.topic(), partition, producerId,
                    stored.map(SourcePosition::sequence).orElse(-1L), gate);
            SnapshotStaging staging = new SnapshotStaging(queue, SnapshotStaging.topicOf(options.topic(),
                    source.group()), batchWriter, options.maxTransactionEvents());
            xaGroups = new BinlogXaGroups(serverUrl(), options.user(), options.password());
            TransactionBatcher batcher = new TransactionBatcher(EngineProperties.engineName(source),
                    EngineProperties.topicPrefix(source) + ".transaction", EngineProperties.heartbeatTopic(source),
                    new ChangeEventMapper(source.group(), mapping, clock), batchWriter, staging,
                    options.maxTransactionEvents(), position, xaGroups);
            engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                    .using(EngineProperties.of(source, serverId, options, history, position, resumeByGtid))
                    .using(OffsetCommitPolicy.always())
                    .using(clock)
                    .using(this::engineCompleted)
                    .notifying(new BatchHandler(batcher))
                    .build();
            writer = batchWriter;
            runner = Executors.newSingleThreadExecutor(task -> new Thread(task, "shardwire-cdc-" + source.group()));
            state = CaptureState.CONNECTING;
            DebeziumEngine<RecordChangeEvent<SourceRecord>> started = engine;
            runner.execute(() -> {
                if (settleStaging(staging, stored, position) && !closed) {
                    started.run();
                }
            });
            LOG.info("{}: capture started as server id {} into {}-{}, {}", source, serverId, options.topic(),
                    partition, stored.map(each -> "resuming after sequence " + each.sequence() + " at "
                            + position.orElseThrow().resumeOffset())
                            .orElse("with no position in the queue (snapshot mode " + options.snapshotMode() + ")"));
        }
    }

    /**
     * Refuses a server whose binlog cannot be captured, before any engine starts, and checks the stored position
     * against it.
     *
     * @return whether the connector must resume by GTID without Debezium's own position check: on a promoted replica
     *     (see {@link GtidResume})
     */
    private boolean checkServer(Optional<CapturePosition> stored) {
        try (Connection connection = DriverManager.getConnection(serverUrl(), options.user(), options.password())) {
            BinlogSettingsCheck.check(connection, source.toString());
            boolean resumeByGtid = stored.isPresent()
                    && GtidResume.needsCheckSkipped(connection, stored.get(), source.toString());
            if (resumeByGtid) {
                LOG.info("{}: the queue's position was written by another server and its GTID is in this server's"
                        + " binlog (a promoted replica): resuming by GTID", source);
            }
            return resumeByGtid;
        } catch (SQLException e) {
            // SQLSTATE 28000: access denied, the one cause the capture's own setup step fixes.
            throw new CaptureRefusedException("change capture cannot check " + source + " as " + options.user()
                    + ": " + e.getMessage() + ("28000".equals(e.getSQLState())
                            ? " (set up the account with ReplicationAccount.ensure on the primary)" : ""));
        }
    }

    private String serverUrl() {
        return "jdbc:mariadb://" + source.host() + ":" + source.port() + "/";
    }

    private Path prepareSchemaHistory(boolean positionStored) {
        Path history = options.dataDir().resolve(source.producerId() + ".schema-history.dat");
        try {
            Files.createDirectories(options.dataDir());
            if (!positionStored && Files.deleteIfExists(history)) {
                LOG.info("{}: deleted schema history {}: the queue holds no position of {}, so it came from a start"
                        + " whose events never reached the queue", source, history, source.producerId());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the schema history " + history + " of " + source, e);
        }
        if (positionStored && !Files.exists(history) && options.snapshotMode() != SnapshotMode.RECOVERY) {
            throw new CaptureRefusedException(source + ": the queue holds a position of " + source.producerId()
                    + " but its schema history " + history + " is missing; restore the file, or start once with"
                    + " snapshot mode RECOVERY if no table changed structure since that position");
        }
        return history;
    }

    /**
     * Before the engine runs: finishes the copy of a completed snapshot that a crash interrupted, or deletes what an
     * interrupted snapshot staged (the engine takes it again) or what a finished copy left.
     *
     * @return whether the engine may run; if not, the capture is FAILED
     */
    private boolean settleStaging(SnapshotStaging staging, Optional<SourcePosition> stored,
            Optional<CapturePosition> position) {
        try {
            if (position.isPresent() && position.get().snapshotCopy().isPresent()) {
                staging.finishCopy(position.get(), stored.orElseThrow().sequence());
            } else {
                staging.discard();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            engineCompleted(true, "closed before the engine ran", null);
            return false;
        } catch (RuntimeException e) {
            engineCompleted(false, "the snapshot staging could not be settled", e);
            return false;
        }
    }

    private void engineCompleted(boolean success, String message, Throwable error) {
        if (success) {
            LOG.info("{}: engine stopped: {}", source, message);
            if (state != CaptureState.FAILED) {
                state = CaptureState.STOPPED;
            }
            return;
        }
        failure = message + (error == null ? "" : ": " + error);
        state = CaptureState.FAILED;
        LOG.error("{}: capture failed: {}", source, message, error);
    }

    @Override
    public void awaitStreaming(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            CaptureState current = currentState();
            if (current == CaptureState.STREAMING) {
                return;
            }
            if (current == CaptureState.FAILED || current == CaptureState.STOPPED || current == CaptureState.NEW) {
                throw new IllegalStateException(source + ": capture is " + current + ", not streaming"
                        + (failure == null ? "" : ": " + failure));
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(source + ": capture not streaming after " + timeout.toMillis()
                        + " ms (still taking the snapshot, or not connected: " + metrics + " reports no Connected=true)");
            }
            Thread.sleep(READY_POLL.toMillis());
        }
    }

    /** The state, STREAMING while the running engine reports its binlog connection. */
    private CaptureState currentState() {
        CaptureState lifecycleState = state;
        if (lifecycleState == CaptureState.CONNECTING && metrics.connected()) {
            return CaptureState.STREAMING;
        }
        return lifecycleState;
    }

    @Override
    public CaptureProgress progress() {
        QueueBatchWriter current = writer;
        return current == null ? new CaptureProgress(source.group(), 0, Optional.empty(), -1, -1)
                : current.progress(source.group());
    }

    @Override
    public CaptureHealth health() {
        QueueBatchWriter current = writer;
        return new CaptureHealth(source.group(), currentState(), Optional.ofNullable(failure),
                current == null ? queue.lastPosition(source.producerId()).map(SourcePosition::sequence).orElse(-1L)
                        : current.lastSequence(),
                current == null ? 0 : current.eventsAppended());
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (engine == null) {
                if (gate != null) {
                    gate.close();
                }
                if (state != CaptureState.FAILED) {
                    state = CaptureState.STOPPED;
                }
                return;
            }
            if (runner.isShutdown()) {
                return;
            }
            closed = true;
            // The engine interrupts a batch waiting at the gate; closing the gate also wakes a snapshot copy that
            // waits there before the engine runs. Either way that batch is not stored.
            stopEngine();
            gate.close();
            runner.shutdown();
            try {
                if (!runner.awaitTermination(ENGINE_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("{}: engine thread still running {} s after close", source,
                            ENGINE_STOP_TIMEOUT.toSeconds());
                }
                writer.shutdown();
                xaGroups.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (state != CaptureState.FAILED) {
                state = CaptureState.STOPPED;
            }
            LOG.info("{}: capture stopped after {} events, last sequence {}", source, writer.eventsAppended(),
                    writer.lastSequence());
        }
    }

    /**
     * Closes the engine. The engine refuses while its task is starting (it holds connections then), so this retries
     * until the task runs; an engine that stopped by itself (failed) needs nothing.
     */
    private void stopEngine() {
        long deadline = System.nanoTime() + ENGINE_STOP_TIMEOUT.toNanos();
        while (true) {
            try {
                engine.close();
                return;
            } catch (IOException e) {
                LOG.warn("{}: engine did not close cleanly", source, e);
                return;
            } catch (IllegalStateException e) {
                if (state == CaptureState.FAILED || state == CaptureState.STOPPED || e.getMessage() == null
                        || !e.getMessage().contains("tasks are starting") || System.nanoTime() > deadline) {
                    LOG.debug("{}: engine not closed: {}", source, e.getMessage());
                    return;
                }
            }
            try {
                Thread.sleep(READY_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "capture of " + source + " into " + options.topic() + "-" + partition;
    }

    /**
     * Hands the engine's records to the batcher and tells the engine which are processed: only those whose batch is
     * stored, so that the engine's own offsets never run ahead of the queue.
     */
    private static final class BatchHandler implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

        private final TransactionBatcher batcher;
        /** Records handed over but not yet covered by a stored batch, in order. */
        private final List<RecordChangeEvent<SourceRecord>> unstored = new ArrayList<>();

        BatchHandler(TransactionBatcher batcher) {
            this.batcher = batcher;
        }

        @Override
        public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
                DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
                throws InterruptedException {
            List<SourceRecord> sourceRecords = new ArrayList<>(records.size());
            for (RecordChangeEvent<SourceRecord> record : records) {
                sourceRecords.add(record.record());
            }
            unstored.addAll(records);
            SourceRecord stored = batcher.accept(sourceRecords);
            if (stored != null) {
                int last = lastIndexOf(stored);
                for (int i = 0; i <= last; i++) {
                    committer.markProcessed(unstored.get(i));
                }
                unstored.subList(0, last + 1).clear();
            }
            committer.markBatchFinished();
        }

        private int lastIndexOf(SourceRecord stored) {
            for (int i = unstored.size() - 1; i >= 0; i--) {
                if (unstored.get(i).record() == stored) {
                    return i;
                }
            }
            throw new IllegalStateException("stored record " + stored + " is not among the records handed over");
        }
    }
}
