package io.shardwire.cdc.debezium;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * The engine's offset store, holding no file of its own: the durable offset is the one stored in the queue with the
 * events it covers, and the capture passes it in when it builds the engine, as engine property
 * {@value #STORED_OFFSET} (base64 of the stored {@link CapturePosition}). Debezium reads it once, when its task starts.
 *
 * <p>The engine's own offset commits land in memory only and are lost when the engine stops, on purpose: an offset
 * that went anywhere but into the queue append could run ahead of the events in the queue, or behind them.
 *
 * <p>Public with a no-argument constructor because the engine creates it by class name.
 */
public final class QueueOffsetBackingStore extends MemoryOffsetBackingStore {

    /** Engine property with the position to start from; absent on the very first start, which then snapshots. */
    public static final String STORED_OFFSET = "shardwire.cdc.stored.offset";

    /** Creates an empty store; the engine calls {@link #configure} next. */
    public QueueOffsetBackingStore() {
    }

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Object stored = config.originals().get(STORED_OFFSET);
        if (stored != null) {
            CaptureOffset offset = CapturePosition.decode(Base64.getDecoder().decode(stored.toString())).resumeOffset();
            data.put(ByteBuffer.wrap(offset.key()), ByteBuffer.wrap(offset.value()));
        }
    }

    /** Only one connector runs per engine, and the engine never asks; nothing to list. */
    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return Set.of();
    }
}
