package io.shardwire.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The proxy's own meters, in one Prometheus registry that {@code GET /metrics} scrapes. The statement path records
 * into meters registered here up front (one per statement type), so it allocates nothing; an error code gets its
 * counter the first time it is seen. Views of other parts (data sources, change capture, queue, pools) register
 * their gauges on {@link #registry()}. Thread-safe.
 */
public final class ProxyMetrics {

    /** Latency buckets, seconds: from a cached point lookup to a statement that is stuck. */
    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    /** Fan-out buckets, data node statements per client statement. */
    private static final double[] FAN_OUT_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter connectionsAccepted;
    private final Counter connectionsRefused;
    private final Counter[] statements = new Counter[StatementType.values().length];
    private final Timer[] latency = new Timer[StatementType.values().length];
    private final DistributionSummary fanOut;
    private final Map<Integer, Counter> errors = new ConcurrentHashMap<>();
    private final Counter failovers;
    private final Counter globalDeadlocks;
    private final Counter xaCommitted;
    private final Counter xaRolledBack;
    private final Counter slowStatements;

    public ProxyMetrics() {
        connectionsAccepted = Counter.builder("shardwire.connections.accepted")
                .description("Client connections accepted since the start").register(registry);
        connectionsRefused = Counter.builder("shardwire.connections.refused")
                .description("Client connections refused with error 1040 (server.maxConnections reached)")
                .register(registry);
        for (StatementType type : StatementType.values()) {
            String tag = type.name().toLowerCase(Locale.ROOT);
            statements[type.ordinal()] = Counter.builder("shardwire.statements").tag("type", tag)
                    .description("Client statements (COM_QUERY and COM_STMT_EXECUTE) by kind").register(registry);
            latency[type.ordinal()] = Timer.builder("shardwire.statement.duration").tag("type", tag)
                    .description("Time from a statement starting on its session's worker to its last response packet")
                    .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        }
        fanOut = DistributionSummary.builder("shardwire.route.data.nodes")
                .description("Data node statements one client statement was planned into (statements the proxy answers"
                        + " itself are not counted)")
                .serviceLevelObjectives(FAN_OUT_BUCKETS).register(registry);
        failovers = Counter.builder("shardwire.failovers")
                .description("Automatic primary failovers completed").register(registry);
        globalDeadlocks = Counter.builder("shardwire.global.deadlocks")
                .description("Deadlocks across shard groups the proxy broke by rolling a victim's transaction back")
                .register(registry);
        xaCommitted = Counter.builder("shardwire.xa.transactions").tag("outcome", "commit")
                .description("Transactions over several shard groups (XA) by outcome")
                .register(registry);
        xaRolledBack = Counter.builder("shardwire.xa.transactions").tag("outcome", "rollback")
                .description("Transactions over several shard groups (XA) by outcome")
                .register(registry);
        slowStatements = Counter.builder("shardwire.slow.statements")
                .description("Statements at or over monitoring.slowQueryMs, each also logged").register(registry);
    }

    /** Exposes the number of open client connections. */
    public void bindOpenConnections(IntSupplier open) {
        // Gauges hold their object weakly by default, and nothing else holds a caller's lambda: the
        // gauge read NaN after the first garbage collection.
        Gauge.builder("shardwire.connections", open, IntSupplier::getAsInt).strongReference(true)
                .description("Client connections open now").register(registry);
    }

    /**
     * Exposes what XA recovery has left to settle: shard groups start-up recovery retries in the background, decisions
     * logged before the start whose commit markers wait for them, and transactions of this run whose prepared
     * branches a commit could not end and handed to the same retries; all 0 once done.
     */
    public void bindXaRecovery(IntSupplier pendingGroups, IntSupplier pendingDecisions,
                               IntSupplier pendingTransactions) {
        Gauge.builder("shardwire.xa.recovery.pending.groups", pendingGroups, IntSupplier::getAsInt).strongReference(true)
                .description("Shard groups start-up XA recovery has not settled yet (retried in the background)")
                .register(registry);
        Gauge.builder("shardwire.xa.recovery.pending.decisions", pendingDecisions, IntSupplier::getAsInt)
                .strongReference(true)
                .description("Commit decisions logged before the start whose markers XA recovery has not deleted yet")
                .register(registry);
        Gauge.builder("shardwire.xa.recovery.pending.transactions", pendingTransactions, IntSupplier::getAsInt)
                .strongReference(true)
                .description("Transactions of this run whose prepared branches a commit could not end, left to the"
                        + " background retries")
                .register(registry);
    }

    /** The registry, for the views that register gauges of their own and for HikariCP's tracker. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Counts a client connection accepted. */
    public void connectionAccepted() {
        connectionsAccepted.increment();
    }

    /** Counts a client connection refused for too many connections. */
    public void connectionRefused() {
        connectionsRefused.increment();
    }

    /**
     * Records one finished statement.
     *
     * @param dataNodes the data node statements it was planned into; 0 or less when it was not routed to any
     */
    public void statement(StatementType type, long nanos, int dataNodes) {
        statements[type.ordinal()].increment();
        latency[type.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
        if (dataNodes > 0) {
            fanOut.record(dataNodes);
        }
    }

    /** Counts an error sent to a client. */
    public void error(int code) {
        errors.computeIfAbsent(code, c -> Counter.builder("shardwire.errors").tag("code", Integer.toString(c))
                .description("MySQL errors sent to clients, by error code").register(registry)).increment();
    }

    /** Counts a statement logged as slow. */
    void slowStatement() {
        slowStatements.increment();
    }

    /** The counter a failover increments once it is done. */
    public Counter failovers() {
        return failovers;
    }

    /** Deadlocks across shard groups broken ({@code GlobalDeadlocks}). */
    public Counter globalDeadlocks() {
        return globalDeadlocks;
    }

    /** The counter an XA transaction increments when it ends: committed or rolled back. */
    public Counter xaTransactions(boolean committed) {
        return committed ? xaCommitted : xaRolledBack;
    }

    /** Every meter in the Prometheus text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }
}
