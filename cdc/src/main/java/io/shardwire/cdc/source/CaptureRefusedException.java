package io.shardwire.cdc.source;

/**
 * A shard group primary that change capture cannot run against, with the reason and the fix in the message; the
 * capture does not start.
 */
public final class CaptureRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong with which server, and how to fix it
     */
    public CaptureRefusedException(String message) {
        super(message);
    }
}
