package io.shardwire.mq.bridge;

/** Where a {@link QueueBridge} is in its life. */
public enum BridgeState {
    /** Started, not yet connected, or waiting for the source topic to exist. */
    STARTING,
    /** Delivering, or waiting for new changes. */
    RUNNING,
    /** The last attempt failed; it retries after a pause (see {@link BridgeStatus#lastError}). */
    RETRYING,
    /** Closed. */
    STOPPED
}
