package io.shardwire.cdc.debezium;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Debezium's source offset for a group, serialized exactly as Kafka Connect's offset stores keep it: the key is
 * {@code ["<engine name>", <source partition>]} and the value the offset map, both as schemaless JSON from Connect's
 * {@link JsonConverter}. Kept byte for byte because Connect finds an offset by comparing serialized keys.
 *
 * @param key   the serialized offset key
 * @param value the serialized offset value
 */
record CaptureOffset(byte[] key, byte[] value) {

    /** Schemaless conversion keeps no per-schema cache, so one converter serves every capture thread. */
    private static final JsonConverter KEY_CONVERTER = converter(true);
    private static final JsonConverter VALUE_CONVERTER = converter(false);

    /**
     * Serializes the offset of a record as Connect's {@code OffsetStorageWriter} would.
     *
     * @param engineName the engine's {@code name}, Connect's offset namespace
     * @param record     a record from the engine
     * @return its offset
     */
    static CaptureOffset of(String engineName, SourceRecord record) {
        return new CaptureOffset(
                KEY_CONVERTER.fromConnectData(engineName, null, Arrays.asList(engineName, record.sourcePartition())),
                VALUE_CONVERTER.fromConnectData(engineName, null, record.sourceOffset()));
    }

    /** Configured like the engine's offset converters, so that keys match byte for byte. */
    private static JsonConverter converter(boolean forKeys) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), forKeys);
        return converter;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CaptureOffset that && Arrays.equals(key, that.key) && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return new String(key, StandardCharsets.UTF_8) + " -> " + new String(value, StandardCharsets.UTF_8);
    }
}
