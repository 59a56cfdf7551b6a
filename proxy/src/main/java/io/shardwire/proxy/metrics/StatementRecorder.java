package io.shardwire.proxy.metrics;

import java.util.function.Supplier;

/**
 * Measures one connection's statements: {@link #begin} when a statement starts, {@link #routed} and
 * {@link #failed} while it runs, {@link #end} after its last packet; then the meters and, if slow, the slow-query
 * log. Not thread-safe: one per connection, used by the worker that runs its commands one after another.
 */
public final class StatementRecorder {

    private final ProxyMetrics metrics;
    private final SlowQueryLog slowQueries;
    private final int session;
    private final String user;
    private final Supplier<String> schema;
    private long startNanos;
    private int dataNodes;
    private int errorCode;

    /**
     * @param schema the session's current schema, read only when a statement is logged as slow
     */
    public StatementRecorder(ProxyMetrics metrics, SlowQueryLog slowQueries, int session, String user,
                             Supplier<String> schema) {
        this.metrics = metrics;
        this.slowQueries = slowQueries;
        this.session = session;
        this.user = user;
        this.schema = schema;
    }

    /** A statement starts. */
    public void begin() {
        startNanos = System.nanoTime();
        dataNodes = -1;
        errorCode = 0;
    }

    /** The statement was planned into this many data node statements. */
    public void routed(int nodes) {
        dataNodes = nodes;
    }

    /** An error was sent to the client (in a statement or any other command). */
    public void failed(int code) {
        errorCode = code;
        metrics.error(code);
    }

    /** The statement's response is complete. */
    public void end(String sql) {
        end(StatementType.of(sql), sql);
    }

    /** The response of a statement whose type is known already (a prepared statement's, from its prepare) is complete. */
    public void end(StatementType type, String sql) {
        long nanos = System.nanoTime() - startNanos;
        metrics.statement(type, nanos, dataNodes);
        if (slowQueries.isSlow(nanos)) {
            slowQueries.log(nanos, session, user, schema.get(), type, dataNodes, errorCode, sql);
        }
    }
}
