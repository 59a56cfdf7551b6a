package io.shardwire.proxy.session;

/**
 * A responder that keeps an error back instead of sending it, and passes everything else on: an
 * implicit transaction must roll back its other groups before the client learns that a node failed,
 * so that no later read of the client's sees a row the failure is about to undo.
 */
final class HeldError extends ForwardingResponder {

    private int errorCode;
    private String sqlState;
    private String message;

    HeldError(Responder client) {
        super(client);
    }

    /** Whether an error was held. */
    boolean held() {
        return message != null;
    }

    /** Sends the held error to the client. */
    void send() throws ClientGoneException {
        client.error(errorCode, sqlState, message);
    }

    @Override
    public void error(int errorCode, String sqlState, String message) {
        if (this.message == null) {
            this.errorCode = errorCode;
            this.sqlState = sqlState;
            this.message = message;
        }
    }
}
