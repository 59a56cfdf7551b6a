package io.shardwire.proxy.health;

/** Whether a data source answered its last health check. */
public enum HealthState {
    /** Not checked yet, or failed every check so far, fewer than {@code monitoring.downAfterFailedChecks}. */
    UNKNOWN,
    /** Answered a check within the timeout, and has not failed enough checks since to be DOWN. */
    UP,
    /**
     * Failed {@code monitoring.downAfterFailedChecks} checks in a row (timed out or answered with an error), or refused
     * the connection of the last one; UP again at the first check that succeeds.
     */
    DOWN
}
