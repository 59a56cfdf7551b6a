package io.shardwire.proxy.protocol;

/**
 * Thrown when bytes received from a peer do not form the packet that was expected: a wrong header byte, a field
 * running past the end of the payload, a missing NUL terminator.
 *
 * <p>Handlers that read client input catch it and answer with an ERR packet; it never signals a bug in our own code.
 */
public final class MySQLProtocolException extends RuntimeException {

    /**
     * @param message what was malformed, phrased so that it can be logged as is
     */
    public MySQLProtocolException(String message) {
        super(message);
    }
}
