package io.shardwire.config;

/**
 * How the proxy watches its data sources and its statements.
 *
 * @param heartbeatIntervalMs pause between two health checks of every data source
 * @param heartbeatTimeoutMs  connect and query timeout of one health check; a data source that does not answer
 *                            within it counts as a failed check
 * @param slowQueryMs         statements that take at least this long are logged, one line each, to the
 *                            {@code shardwire.slowquery} logger; -1 logs none
 */
public record MonitoringConfig(long heartbeatIntervalMs, long heartbeatTimeoutMs, long slowQueryMs) {

    /** Checks every 2 s with a 1 s timeout; statements of 1 s or more are logged as slow. */
    public static final MonitoringConfig DEFAULT = new MonitoringConfig(2_000, 1_000, 1_000);

    /** Whether slow statements are logged at all. */
    public boolean slowQueryLogEnabled() {
        return slowQueryMs >= 0;
    }
}
