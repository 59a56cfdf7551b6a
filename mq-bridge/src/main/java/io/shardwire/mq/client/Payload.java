package io.shardwire.mq.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A record's key, header or value as the HTTP API carries it: JSON (an object, array, number or boolean), text, or
 * bytes that are neither. A record without a key or value has none ({@code null}), not an empty payload.
 */
public sealed interface Payload {

    /**
     * @return the payload's bytes: UTF-8 for JSON and text. JSON comes re-serialized by the server, so these may
     *     differ from the appended bytes in whitespace and number notation, never in the JSON value.
     */
    byte[] bytes();

    /**
     * Puts a payload into a JSON object the way the HTTP API does: under {@code field} as JSON or a string, under
     * {@code field + "Base64"} as base64 for bytes, or {@code field: null} for none.
     *
     * @param target  the object
     * @param field   the field name, such as {@code value}
     * @param payload the payload, or null for none
     */
    static void put(ObjectNode target, String field, Payload payload) {
        switch (payload) {
            case null -> target.putNull(field);
            case Json json -> target.set(field, json.node().deepCopy());
            case Text text -> target.put(field, text.text());
            case Binary binary -> target.put(field + "Base64", Base64.getEncoder().encodeToString(binary.bytes()));
        }
    }

    /**
     * A payload that is a JSON object, array, number or boolean.
     *
     * @param node the parsed JSON; do not change it
     */
    record Json(JsonNode node) implements Payload {

        /** @return the JSON text */
        public String json() {
            return node.toString();
        }

        @Override
        public byte[] bytes() {
            return json().getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * A payload that is UTF-8 text but not embeddable JSON (a JSON string such as {@code "a"}, with its quotes, is
     * text too).
     *
     * @param text the text
     */
    record Text(String text) implements Payload {

        @Override
        public byte[] bytes() {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * A payload that is not valid UTF-8. Shallowly immutable: the array is not copied, do not change it.
     *
     * @param bytes the bytes
     */
    record Binary(byte[] bytes) implements Payload {

        @Override
        public boolean equals(Object other) {
            return other instanceof Binary that && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Binary[" + Base64.getEncoder().encodeToString(bytes) + "]";
        }
    }
}
