package io.shardwire.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProxyMetricsTest {

    private final ProxyMetrics metrics = new ProxyMetrics();

    @Test
    void statementsAreCountedTimedAndTheirFanOutRecorded() {
        metrics.statement(StatementType.SELECT, 3_000_000, 4);
        metrics.statement(StatementType.SELECT, 100_000, 1);
        metrics.statement(StatementType.OTHER, 100_000, 0);

        String text = metrics.scrape();

        assertThat(text).contains("shardwire_statements_total{type=\"select\"} 2.0",
                "shardwire_statements_total{type=\"other\"} 1.0", "shardwire_statements_total{type=\"ddl\"} 0.0",
                "shardwire_statement_duration_seconds_bucket{type=\"select\",le=\"0.001\"} 1",
                "shardwire_statement_duration_seconds_bucket{type=\"select\",le=\"0.005\"} 2",
                "shardwire_route_data_nodes_bucket{le=\"1.0\"} 1", "shardwire_route_data_nodes_bucket{le=\"4.0\"} 2",
                "shardwire_route_data_nodes_count 2");
    }

    @Test
    void errorsAreCountedByCodeAndConnectionsAcceptedAndRefused() {
        metrics.error(1146);
        metrics.error(1146);
        metrics.error(1064);
        metrics.connectionAccepted();
        metrics.connectionRefused();
        metrics.bindOpenConnections(() -> 7);

        assertThat(metrics.scrape()).contains("shardwire_errors_total{code=\"1146\"} 2.0",
                "shardwire_errors_total{code=\"1064\"} 1.0", "shardwire_connections_accepted_total 1.0",
                "shardwire_connections_refused_total 1.0", "shardwire_connections 7.0");
    }

    @Test
    void theOpenConnectionsGaugeOutlivesGarbageCollection() {
        java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(3);
        metrics.bindOpenConnections(open::get);    // a fresh object that only the gauge refers to
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        open.set(4);

        assertThat(metrics.scrape()).contains("shardwire_connections 4.0");
    }

    @Test
    void xaRecoveryGaugesReadWhatRecoveryHasLeft() {
        java.util.concurrent.atomic.AtomicInteger groups = new java.util.concurrent.atomic.AtomicInteger(1);
        metrics.bindXaRecovery(groups::get, () -> 3, () -> 2);
        System.gc();
        groups.set(0);

        assertThat(metrics.scrape()).contains("shardwire_xa_recovery_pending_groups 0.0",
                "shardwire_xa_recovery_pending_decisions 3.0", "shardwire_xa_recovery_pending_transactions 2.0");
    }

    @Test
    void failoverAndXaCountersExistAtZero() {
        assertThat(metrics.scrape()).contains("shardwire_failovers_total 0.0",
                "shardwire_xa_transactions_total{outcome=\"commit\"} 0.0",
                "shardwire_xa_transactions_total{outcome=\"rollback\"} 0.0");
    }

    @Test
    void onlyStatementsAtOrOverTheThresholdAreSlow() {
        AtomicLong threshold = new AtomicLong(5);
        SlowQueryLog log = new SlowQueryLog(threshold::get, metrics);

        assertThat(log.isSlow(4_999_999)).isFalse();
        assertThat(log.isSlow(5_000_000)).isTrue();
        threshold.set(-1);
        assertThat(log.isSlow(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void slowStatementTextIsOneLineAndCut() {
        assertThat(SlowQueryLog.oneLine("SELECT \"a\"\nFROM t")).isEqualTo("SELECT \\\"a\\\"\\nFROM t");
        assertThat(SlowQueryLog.oneLine("x".repeat(SlowQueryLog.MAX_SQL_CHARS + 5)))
                .endsWith("... (" + (SlowQueryLog.MAX_SQL_CHARS + 5) + " chars)");
    }
}
