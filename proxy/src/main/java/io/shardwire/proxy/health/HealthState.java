package io.shardwire.proxy.health;

/** Whether a data source answered its last health check. */
public enum HealthState {
    /** Not checked yet. */
    UNKNOWN,
    /** Answered the last check within the timeout. */
    UP,
    /** Failed the last check: refused, timed out or answered with an error. */
    DOWN
}
