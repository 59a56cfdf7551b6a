package io.shardwire.cdc.debezium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.embedded.EmbeddedWorkerConfig;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReaderImpl;
import org.junit.jupiter.api.Test;

/** The offset stored in the queue reaches the connector as Kafka Connect's own offset reader reads it. */
class QueueOffsetBackingStoreTest {

    private static final Map<String, String> PARTITION = Map.of("server", "cdc-g0");

    @Test
    void anOffsetStoredWithABatchIsWhatTheConnectorReadsAtStart() {
        Map<String, Object> offset = Map.of("file", "binlog.000002", "pos", 34236L, "gtids", "0-100-123",
                "event", 2L, "transaction_id", "0-100-124");
        SourceRecord record = new SourceRecord(PARTITION, offset, "cdc-g0.db.t", null, null);
        byte[] inQueue = new CapturePosition(CaptureOffset.of("cdc-g0", record), Optional.empty()).encode();

        QueueOffsetBackingStore store = new QueueOffsetBackingStore();
        Map<String, String> engineProperties = new HashMap<>();
        engineProperties.put(QueueOffsetBackingStore.STORED_OFFSET, Base64.getEncoder().encodeToString(inQueue));
        store.configure(new EmbeddedWorkerConfig(engineProperties));
        store.start();
        try {
            OffsetStorageReaderImpl reader = new OffsetStorageReaderImpl(store, "cdc-g0", converter(true),
                    converter(false));
            assertThat(reader.offset(PARTITION)).isEqualTo(offset);
        } finally {
            store.stop();
        }
    }

    @Test
    void withoutAStoredOffsetTheConnectorFindsNone() {
        QueueOffsetBackingStore store = new QueueOffsetBackingStore();
        store.configure(new EmbeddedWorkerConfig(new HashMap<>()));
        store.start();
        try {
            assertThat(new OffsetStorageReaderImpl(store, "cdc-g0", converter(true), converter(false))
                    .offset(PARTITION)).isNull();
        } finally {
            store.stop();
        }
    }

    @Test
    void aPositionInsideATransactionKeepsHowFarTheTransactionGot() {
        SourceRecord record = new SourceRecord(PARTITION, Map.of("file", "binlog.000001", "pos", 4L), "t", null, null);
        CapturePosition position = new CapturePosition(CaptureOffset.of("cdc-g0", record), Optional.of(
                new PartialTransaction("0-100-7", 20_000, Map.of("shop_0.orders_1", 19_999L, "shop_0.items", 1L))));

        assertThat(CapturePosition.decode(position.encode())).isEqualTo(position);
    }

    @Test
    void aStoredPositionThatIsNotOursIsRejected() {
        assertThatThrownBy(() -> CapturePosition.decode("{\"format\":9}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stored CDC position: {\"format\":9}");
    }

    private static JsonConverter converter(boolean forKeys) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), forKeys);
        return converter;
    }
}
