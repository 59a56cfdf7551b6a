package io.shardwire.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementRecorderTest {

    private final ProxyMetrics metrics = new ProxyMetrics();
    private final StatementRecorder recorder = new StatementRecorder(metrics,
            new SlowQueryLog(() -> 60_000, metrics), 1, "app", () -> "db");

    @Test
    void aStatementIsCountedUnderTheTypeOfItsText() {
        recorder.begin();
        recorder.end("/* hint */ select 1");

        assertThat(metrics.scrape()).contains("shardwire_statements_total{type=\"select\"} 1.0");
    }

    @Test
    void aTypeKnownFromThePrepareIsCountedAsGivenWithoutReadingTheTextAgain() {
        recorder.begin();
        recorder.routed(1);
        recorder.end(StatementType.DELETE, "select 1");

        assertThat(metrics.scrape()).contains("shardwire_statements_total{type=\"delete\"} 1.0",
                "shardwire_statements_total{type=\"select\"} 0.0");
    }
}
