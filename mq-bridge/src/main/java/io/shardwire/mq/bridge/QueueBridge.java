package io.shardwire.mq.bridge;

import io.shardwire.mq.QueueStore;
import io.shardwire.mq.Topic;
import io.shardwire.mq.log.LogRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a queue topic to an outside broker, as a consumer group of its own, on a thread of its own: each round it
 * fetches every partition from its resume point, hands what it found to the {@link BridgeSink} in one
 * {@link BridgeSink#deliver} call, then commits the group's offsets. Its lag is the group's lag in the queue.
 *
 * <p><b>Resume.</b> At start and after any failure the sink is (re)opened and says where to resume per partition; a
 * partition it has no record of resumes at the group's committed offset, else at the earliest retained offset. The
 * group commit follows each delivery, so a crash between the two delivers that round again: at-least-once, unless the
 * sink records its resume points atomically with the delivery (the Kafka sink does, which makes it exactly-once).
 *
 * <p><b>Failures</b> never skip a change: the bridge logs, waits {@link BridgeSettings#retryBackoff}, reopens the
 * sink and delivers again from the resume points, as long as it runs. A change that is not a change event, or that
 * retention deleted before delivery, keeps it retrying with the reason in {@link BridgeStatus#lastError}.
 *
 * <p>Thread-safe: {@link #status} and {@link #close} may be called from any thread.
 */
public final class QueueBridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueBridge.class);
    private static final int MAX_FETCH_BYTES = 4 << 20;

    private final QueueStore store;
    private final BridgeSettings settings;
    private final BridgeSink sink;
    private final Thread thread;
    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean running = true;
    private volatile BridgeState state = BridgeState.STARTING;
    private volatile String lastError;

    private QueueBridge(QueueStore store, BridgeSettings settings, BridgeSink sink) {
        this.store = store;
        this.settings = settings;
        this.sink = sink;
        this.thread = Thread.ofPlatform().daemon().name("shardwire-bridge-" + settings.name()).unstarted(this::run);
    }

    /**
     * Starts a bridge. It connects in the background; a broker that is down makes it retry, not fail.
     *
     * @param store    the queue
     * @param settings what to read and as which group
     * @param sink     where to deliver; the bridge closes it
     * @return the running bridge
     */
    public static QueueBridge start(QueueStore store, BridgeSettings settings, BridgeSink sink) {
        QueueBridge bridge = new QueueBridge(store, settings, sink);
        bridge.thread.start();
        LOG.info("Bridge {} started: {} as group {}", settings.name(), settings.topic(), settings.group());
        return bridge;
    }

    private void run() {
        long[] next = null;
        boolean idle = false;
        while (running) {
            try {
                Optional<Topic> topic = store.topic(settings.topic());
                if (topic.isEmpty()) {
                    Thread.sleep(settings.idleWait().toMillis() + 1);
                    continue;
                }
                if (next == null) {
                    next = resumePoints(topic.get().partitionCount());
                    state = BridgeState.RUNNING;
                    lastError = null;
                }
                List<PartitionBatch> batches = fetch(next, idle ? settings.idleWait() : Duration.ZERO);
                idle = batches.isEmpty();
                if (idle) {
                    continue;
                }
                sink.deliver(settings.topic(), batches);
                for (PartitionBatch batch : batches) {
                    next[batch.partition()] = batch.nextOffset();
                    store.commit(settings.group(), settings.topic(), batch.partition(), batch.nextOffset());
                    delivered.addAndGet(batch.changes().size());
                }
                state = BridgeState.RUNNING;
                lastError = null;
            } catch (InterruptedException e) {
                break;
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                state = BridgeState.RETRYING;
                lastError = e.toString();
                LOG.error("Bridge {} failed; reconnecting in {} ms and delivering again from its resume points",
                        settings.name(), settings.retryBackoff().toMillis(), e);
                sink.close();
                next = null;
                try {
                    Thread.sleep(settings.retryBackoff().toMillis());
                } catch (InterruptedException interrupted) {
                    break;
                }
            }
        }
        sink.close();
        state = BridgeState.STOPPED;
    }

    private long[] resumePoints(int partitions) throws Exception {
        Map<Integer, Long> own = sink.open(settings.topic(), partitions);
        long[] next = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            Long resume = own.get(p);
            if (resume == null) {
                resume = store.committed(settings.group(), settings.topic(), p)
                        .orElse(store.earliestOffset(settings.topic(), p));
            }
            next[p] = resume;
        }
        LOG.info("Bridge {} resumes {} at offsets {}", settings.name(), settings.topic(), Arrays.toString(next));
        return next;
    }

    private List<PartitionBatch> fetch(long[] next, Duration wait) throws Exception {
        List<PartitionBatch> batches = new ArrayList<>();
        for (int p = 0; p < next.length; p++) {
            List<LogRecord> records = store.fetch(settings.topic(), p, next[p], settings.maxRecords(),
                    MAX_FETCH_BYTES, wait);
            if (records.isEmpty()) {
                continue;
            }
            List<ChangeRecord> changes = new ArrayList<>(records.size());
            for (LogRecord record : records) {
                changes.add(ChangeRecord.of(settings.topic(), p, record));
            }
            batches.add(new PartitionBatch(p, changes, records.getLast().offset() + 1));
        }
        return batches;
    }

    /** @return the bridge's state, progress and lag */
    public BridgeStatus status() {
        long lag = store.topic(settings.topic()).isEmpty() ? 0
                : store.lag(settings.group(), settings.topic()).values().stream().mapToLong(Long::longValue).sum();
        return new BridgeStatus(settings.name(), settings.topic(), settings.group(), state, delivered.get(), lag,
                Optional.ofNullable(lastError));
    }

    /** @return the settings it runs with */
    public BridgeSettings settings() {
        return settings;
    }

    /**
     * Stops the bridge: it finishes the delivery in progress (waiting up to 30 s), then closes the sink.
     */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            if (thread.isAlive()) {
                LOG.warn("Bridge {} did not stop within 30 s; interrupting it", settings.name());
                thread.interrupt();
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
        LOG.info("Bridge {} stopped after delivering {} changes", settings.name(), delivered.get());
    }
}
