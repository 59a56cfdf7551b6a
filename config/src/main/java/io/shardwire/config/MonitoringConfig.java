package io.shardwire.config;

/**
 * How the proxy watches its data sources and its statements.
 *
 * @param heartbeatIntervalMs pause between two health checks of every data source
 * @param heartbeatTimeoutMs  connect and query timeout of one health check; a data source that does not answer
 *                            within it counts as a failed check
 * @param downAfterFailedChecks failed checks in a row that mark a data source DOWN (a primary DOWN takes no
 *                            statements and starts the failover clock); a refused connection (nothing listens on the
 *                            port) marks it DOWN at once. Until then a failing source keeps its state, but leaves
 *                            the read rotation and is not promoted, fenced or re-pointed: those need its last check to
 *                            have succeeded
 * @param slowQueryMs         statements that take at least this long are logged, one line each, to the
 *                            {@code shardwire.slowquery} logger; -1 logs none
 */
public record MonitoringConfig(long heartbeatIntervalMs, long heartbeatTimeoutMs, int downAfterFailedChecks,
                               long slowQueryMs) {

    /**
     * Checks every 2 s with a 1 s timeout, DOWN after 3 failed checks in a row (ProxySQL's
     * {@code monitor_ping_max_failures} default: one slow connect under load is not an outage); statements of 1 s or
     * more are logged as slow.
     */
    public static final MonitoringConfig DEFAULT = new MonitoringConfig(2_000, 1_000, 3, 1_000);

    /** Whether slow statements are logged at all. */
    public boolean slowQueryLogEnabled() {
        return slowQueryMs >= 0;
    }
}
