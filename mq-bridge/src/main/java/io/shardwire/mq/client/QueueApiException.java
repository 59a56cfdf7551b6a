package io.shardwire.mq.client;

import java.io.IOException;

/** The queue's HTTP API answered a request with an error status. */
public class QueueApiException extends IOException {

    private final int status;
    private final String error;

    /**
     * @param request the request, such as {@code GET /queue/topics}
     * @param status  the HTTP status
     * @param error   the API's error message
     */
    public QueueApiException(String request, int status, String error) {
        super(request + ": HTTP " + status + ": " + error);
        this.status = status;
        this.error = error;
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the API's error message, naming what was wrong with which input */
    public String error() {
        return error;
    }
}
