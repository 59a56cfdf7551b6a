package io.shardwire.mq.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.shardwire.mq.log.LogRecord;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A record as the HTTP API shows it: {@code {"offset", "timestamp", "key", "headers", "value"}}, where each key,
 * header and value is embedded by what its bytes are:
 * <ul>
 *   <li>a JSON object, array, number or boolean (valid UTF-8, one JSON value, no duplicate keys): embedded as JSON,
 *       re-serialized (whitespace is not kept; numbers keep their digits);</li>
 *   <li>other valid UTF-8, including a JSON string or {@code null}: a JSON string of that text, so that a JSON string
 *       on the wire always means text and {@code null} always means no bytes at all;</li>
 *   <li>anything else: base64 under {@code keyBase64} / {@code valueBase64}, and binary headers under a separate
 *       {@code headersBase64} object.</li>
 * </ul>
 * A missing key or value (a tombstone) is {@code null}.
 */
final class RecordJson {

    /** Parses candidates strictly: one value, no trailing tokens or duplicate keys, decimals kept digit for digit. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private RecordJson() {
    }

    /**
     * @param record a record read from the log
     * @param target the object to fill with its fields
     * @return {@code target}
     */
    static ObjectNode encode(LogRecord record, ObjectNode target) {
        target.put("offset", record.offset());
        target.put("timestamp", record.timestamp());
        putPayload(target, "key", record.key());
        ObjectNode headers = target.putObject("headers");
        ObjectNode binaryHeaders = target.objectNode();
        for (Map.Entry<String, byte[]> header : record.record().headers().entrySet()) {
            JsonNode shown = embed(header.getValue());
            if (shown != null) {
                headers.set(header.getKey(), shown);
            } else {
                binaryHeaders.put(header.getKey(), Base64.getEncoder().encodeToString(header.getValue()));
            }
        }
        if (!binaryHeaders.isEmpty()) {
            target.set("headersBase64", binaryHeaders);
        }
        putPayload(target, "value", record.value());
        return target;
    }

    /** Puts bytes under {@code field} as null, JSON or text, or as base64 under {@code field + "Base64"}. */
    private static void putPayload(ObjectNode target, String field, byte[] bytes) {
        JsonNode shown = bytes == null ? NullNode.getInstance() : embed(bytes);
        if (shown != null) {
            target.set(field, shown);
        } else {
            target.put(field + "Base64", Base64.getEncoder().encodeToString(bytes));
        }
    }

    /** The bytes as embedded JSON or a text node, or null if they are not UTF-8 and need base64. */
    private static JsonNode embed(byte[] bytes) {
        String text = utf8(bytes);
        if (text == null) {
            return null;
        }
        JsonNode json = embeddableJson(text);
        return json != null ? json : TextNode.valueOf(text);
    }

    /** The text if the bytes are valid UTF-8, else null. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The parsed value if the text is one JSON object, array, number or boolean, else null. */
    private static JsonNode embeddableJson(String text) {
        char first = firstNonBlank(text);
        // Only these can start an embeddable value; checking first spares plain text a parse attempt.
        if (first != '{' && first != '[' && first != '-' && first != 't' && first != 'f'
                && (first < '0' || first > '9')) {
            return null;
        }
        try {
            JsonNode node = STRICT.readTree(text);
            return node.isContainerNode() || node.isNumber() || node.isBoolean() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static char firstNonBlank(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return c;
            }
        }
        return 0;
    }
}
