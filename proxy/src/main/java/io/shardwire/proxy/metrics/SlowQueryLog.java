package io.shardwire.proxy.metrics;

import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs statements that take at least {@code monitoring.slowQueryMs}, one line each on the
 * {@value #LOGGER} logger, as {@code key=value} pairs so that log tools can split them:
 * <pre>{@code slow statement durationMs=1520 session=7 user=app schema=shop type=select dataNodes=4 error=0 sql="SELECT ..."}</pre>
 * Nothing is logged for statements under the threshold. The threshold is read per statement, so a configuration
 * reload changes it at once.
 */
public final class SlowQueryLog {

    /** The logger name, to route slow statements to a file of their own in logback.xml. */
    public static final String LOGGER = "shardwire.slowquery";

    /** Longest statement text logged; longer ones are cut, with their length noted. */
    static final int MAX_SQL_CHARS = 2_000;

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final LongSupplier thresholdMs;
    private final ProxyMetrics metrics;

    /**
     * @param thresholdMs the current threshold in ms, -1 for none
     * @param metrics     where slow statements are counted
     */
    public SlowQueryLog(LongSupplier thresholdMs, ProxyMetrics metrics) {
        this.thresholdMs = thresholdMs;
        this.metrics = metrics;
    }

    /** Whether a statement that took this long is to be logged. */
    boolean isSlow(long nanos) {
        long threshold = thresholdMs.getAsLong();
        return threshold >= 0 && nanos / 1_000_000 >= threshold;
    }

    /** Logs a statement {@link #isSlow} found slow. */
    void log(long nanos, int session, String user, String schema, StatementType type, int dataNodes,
             int errorCode, String sql) {
        long ms = nanos / 1_000_000;
        metrics.slowStatement();
        log.warn("slow statement durationMs={} session={} user={} schema={} type={} dataNodes={} error={} sql=\"{}\"",
                ms, session, user, schema == null ? "-" : schema, type.name().toLowerCase(Locale.ROOT),
                dataNodes, errorCode, oneLine(sql));
    }

    /** The statement on one line, quotes escaped, cut at {@value #MAX_SQL_CHARS} characters. */
    static String oneLine(String sql) {
        String cut = sql.length() > MAX_SQL_CHARS
                ? sql.substring(0, MAX_SQL_CHARS) + "... (" + sql.length() + " chars)" : sql;
        return cut.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n");
    }
}
