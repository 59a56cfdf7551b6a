package io.shardwire.proxy.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.shardwire.proxy.health.DataSourceHealth;
import io.shardwire.proxy.health.DataSourceRole;
import io.shardwire.proxy.health.HealthMonitor;
import io.shardwire.proxy.health.HealthState;
import io.shardwire.proxy.health.ReplicaLag;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.ToDoubleFunction;

/**
 * Gauges of the {@link HealthMonitor}: per data source whether it is up and its failed checks in a row; per replica
 * its lag in seconds and in GTID transactions (NaN while unknown).
 */
public final class DataSourceMetrics {

    private DataSourceMetrics() {
    }

    /** Registers the gauges of every data source the monitor checks. */
    public static void bind(HealthMonitor monitor, MeterRegistry registry) {
        List<DataSourceHealth> sources = monitor.snapshot();
        for (int i = 0; i < sources.size(); i++) {
            DataSourceHealth source = sources.get(i);
            int index = i;
            Tags tags = Tags.of("group", source.group(), "role", source.role().name().toLowerCase(Locale.ROOT),
                    "address", source.address());
            gauge(registry, "shardwire.datasource.up", "1 if the data source answered its last health check, else 0",
                    tags, monitor, index, h -> h.state() == HealthState.UP ? 1 : 0);
            gauge(registry, "shardwire.datasource.check.failures", "Health checks failed in a row", tags, monitor,
                    index, DataSourceHealth::consecutiveFailures);
            // A replica stranded at start (topology file) follows the primary again once re-pointed.
            if (source.role() == DataSourceRole.REPLICA || source.role() == DataSourceRole.STRANDED) {
                gauge(registry, "shardwire.replica.lag.seconds", "Seconds_Behind_Master of a replica; NaN if unknown",
                        tags, monitor, index, h -> h.lag().map(ReplicaLag::secondsBehind)
                                .filter(OptionalLong::isPresent).map(s -> (double) s.getAsLong()).orElse(Double.NaN));
                gauge(registry, "shardwire.replica.lag.transactions",
                        "GTID transactions the primary committed that the replica has not applied; NaN if unknown",
                        tags, monitor, index, h -> h.lag().map(ReplicaLag::transactionsBehind)
                                .filter(n -> n >= 0).map(Long::doubleValue).orElse(Double.NaN));
            }
        }
    }

    private static void gauge(MeterRegistry registry, String name, String description, Tags tags,
                              HealthMonitor monitor, int index, ToDoubleFunction<DataSourceHealth> value) {
        Gauge.builder(name, monitor, m -> value.applyAsDouble(m.health(index))).tags(tags).description(description)
                .register(registry);
    }
}
