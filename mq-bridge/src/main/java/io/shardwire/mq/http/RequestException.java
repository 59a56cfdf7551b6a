package io.shardwire.mq.http;

/** A request the API refuses: the status to answer with and a message naming the input at fault. */
final class RequestException extends RuntimeException {

    private final int status;

    RequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
