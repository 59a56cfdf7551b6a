package io.shardwire.mq.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What {@link QueueHttpApi} answers: a status, the headers to send besides the length, and a body (JSON, or empty for
 * 204). Shallowly immutable: the body array is not copied.
 *
 * @param status  the HTTP status
 * @param headers header names to values, such as {@code Content-Type} and, for 405, {@code Allow}
 * @param body    the body bytes, empty for none
 */
public record QueueHttpResponse(int status, Map<String, String> headers, byte[] body) {

    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    /** Copies the headers. */
    public QueueHttpResponse {
        headers = Map.copyOf(headers);
    }

    static QueueHttpResponse json(int status, byte[] body) {
        return new QueueHttpResponse(status, JSON, body);
    }

    static QueueHttpResponse noContent() {
        return new QueueHttpResponse(204, Map.of(), new byte[0]);
    }

    static QueueHttpResponse methodNotAllowed(String allowed, byte[] body) {
        return new QueueHttpResponse(405, Map.of("Content-Type", "application/json", "Allow", allowed), body);
    }

    /** @return the body as UTF-8 text, for logs and tests */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
