package io.shardwire.cdc.debezium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Turns the Kafka Connect values that Debezium's MariaDB connector produces into typed JSON, by the schema's
 * logical name first and its type second:
 *
 * <ul>
 *   <li>DECIMAL (and BIGINT UNSIGNED, which the capture asks Debezium to give precisely): the exact decimal as a
 *       string, {@link BigDecimal#toPlainString} ({@code "10.50"}, never {@code 1.05E+1}), since JSON numbers lose
 *       digits in most readers;</li>
 *   <li>DATE: {@code 2026-01-31}; DATETIME: {@code 2026-01-31T10:15:30.25} without a zone, since DATETIME has none;
 *       TIMESTAMP: Debezium's UTC string {@code 2026-01-31T10:15:30Z}; TIME: {@code 10:15:30}, or an ISO-8601
 *       duration ({@code PT838H59M59S}, {@code PT-1H}) when outside a day, as MariaDB's TIME allows; YEAR: a
 *       number;</li>
 *   <li>binary types (BINARY, VARBINARY, BLOB, BIT(n &gt; 1)): base64;</li>
 *   <li>other integers, floating point and booleans: JSON numbers and booleans; strings, ENUM, SET and JSON columns:
 *       strings.</li>
 * </ul>
 *
 * Thread-safe: stateless.
 */
final class ConnectJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long NANOS_PER_DAY = Duration.ofDays(1).toNanos();
    private static final String VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";

    private ConnectJson() {
    }

    /**
     * @param struct a row image or key from a Debezium record
     * @return it as a JSON object, field by field in column order
     */
    static ObjectNode object(Struct struct) {
        ObjectNode json = NODES.objectNode();
        for (Field field : struct.schema().fields()) {
            json.set(field.name(), value(field.schema(), struct.get(field)));
        }
        return json;
    }

    /**
     * @param schema the value's schema
     * @param value  the value, possibly null
     * @return it as JSON
     */
    static JsonNode value(Schema schema, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        String name = schema.name();
        if (name != null) {
            JsonNode logical = logicalValue(name, value);
            if (logical != null) {
                return logical;
            }
        }
        return switch (schema.type()) {
            case INT8 -> NODES.numberNode((Byte) value);
            case INT16 -> NODES.numberNode((Short) value);
            case INT32 -> NODES.numberNode((Integer) value);
            case INT64 -> NODES.numberNode((Long) value);
            case FLOAT32 -> NODES.numberNode((Float) value);
            case FLOAT64 -> NODES.numberNode((Double) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case STRING -> NODES.textNode((String) value);
            case BYTES -> NODES.textNode(Base64.getEncoder().encodeToString(bytes(value)));
            case STRUCT -> object((Struct) value);
            case ARRAY -> array(schema.valueSchema(), (List<?>) value);
            case MAP -> map(schema.valueSchema(), (Map<?, ?>) value);
        };
    }

    /** The value of a schema with a logical name we format ourselves, or null to go by the type. */
    private static JsonNode logicalValue(String name, Object value) {
        return switch (name) {
            case Decimal.LOGICAL_NAME -> NODES.textNode(((BigDecimal) value).toPlainString());
            case VARIABLE_SCALE_DECIMAL -> NODES.textNode(variableScaleDecimal((Struct) value).toPlainString());
            case io.debezium.time.Date.SCHEMA_NAME -> NODES.textNode(LocalDate.ofEpochDay((Integer) value).toString());
            case Date.LOGICAL_NAME -> NODES.textNode(LocalDate.ofInstant(((java.util.Date) value).toInstant(),
                    ZoneOffset.UTC).toString());
            case io.debezium.time.Timestamp.SCHEMA_NAME -> dateTime(Instant.ofEpochMilli((Long) value));
            case io.debezium.time.MicroTimestamp.SCHEMA_NAME -> dateTime(instantOfMicros((Long) value));
            case io.debezium.time.NanoTimestamp.SCHEMA_NAME -> dateTime(Instant.EPOCH.plusNanos((Long) value));
            case Timestamp.LOGICAL_NAME -> dateTime(((java.util.Date) value).toInstant());
            case io.debezium.time.Time.SCHEMA_NAME -> timeOfDay(Duration.ofMillis((Integer) value));
            case io.debezium.time.MicroTime.SCHEMA_NAME -> timeOfDay(Duration.ofNanos(Math.multiplyExact((Long) value,
                    1000L)));
            case io.debezium.time.NanoTime.SCHEMA_NAME -> timeOfDay(Duration.ofNanos((Long) value));
            case Time.LOGICAL_NAME -> timeOfDay(Duration.ofMillis(((java.util.Date) value).getTime()));
            default -> null;
        };
    }

    private static BigDecimal variableScaleDecimal(Struct struct) {
        return new BigDecimal(new BigInteger(bytes(struct.get("value"))), struct.getInt32("scale"));
    }

    private static Instant instantOfMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    /** A DATETIME: Debezium gives the wall-clock value as if it were UTC, and so we print it without a zone. */
    private static JsonNode dateTime(Instant asIfUtc) {
        return NODES.textNode(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                LocalDateTime.ofInstant(asIfUtc, ZoneOffset.UTC)));
    }

    /** A TIME: a time of day when it is one, else a duration, since MariaDB's TIME spans -838 to +838 hours. */
    private static JsonNode timeOfDay(Duration sinceMidnight) {
        long nanos = sinceMidnight.toNanos();
        if (nanos >= 0 && nanos < NANOS_PER_DAY) {
            return NODES.textNode(DateTimeFormatter.ISO_LOCAL_TIME.format(LocalTime.ofNanoOfDay(nanos)));
        }
        return NODES.textNode(sinceMidnight.toString());
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] array) {
            return array;
        }
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] array = new byte[buffer.remaining()];
        buffer.get(array);
        return array;
    }

    private static ArrayNode array(Schema elementSchema, List<?> values) {
        ArrayNode json = NODES.arrayNode(values.size());
        for (Object element : values) {
            json.add(value(elementSchema, element));
        }
        return json;
    }

    private static ObjectNode map(Schema valueSchema, Map<?, ?> values) {
        ObjectNode json = NODES.objectNode();
        values.forEach((key, element) -> json.set(String.valueOf(key), value(valueSchema, element)));
        return json;
    }
}
