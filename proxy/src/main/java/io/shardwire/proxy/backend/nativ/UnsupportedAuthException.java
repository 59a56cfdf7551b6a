package io.shardwire.proxy.backend.nativ;

/** A data source asked for an authentication plugin the native backend path does not speak. */
final class UnsupportedAuthException extends RuntimeException {

    UnsupportedAuthException(String message) {
        super(message);
    }
}
