package io.shardwire.proxy.session;

/** The client disconnected while its response was being written; the work for it should stop. */
public final class ClientGoneException extends Exception {
    public ClientGoneException() {
        super("client disconnected", null, false, false);
    }
}
