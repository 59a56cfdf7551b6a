package io.shardwire.proxy.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.shardwire.cdc.CaptureState;
import io.shardwire.cdc.ChangeCaptures;

/**
 * Per shard group's change capture: events captured (a counter, so Prometheus derives the rate), how late the last
 * event was captured, whether the capture reads the binlog, and how often no replica acknowledged a transaction in time.
 */
public final class CdcMetrics {

    private CdcMetrics() {
    }

    /** Registers the meters of every group's capture. */
    public static void bind(ChangeCaptures captures, MeterRegistry registry) {
        for (int i = 0; i < captures.captures().size(); i++) {
            int index = i;
            String group = captures.captures().get(i).health().group();
            FunctionCounter.builder("shardwire.cdc.events", captures, c -> c.captures().get(index).progress().eventsCaptured())
                    .tag("group", group).description("Change events captured into the queue since the start")
                    .register(registry);
            Gauge.builder("shardwire.cdc.lag.milliseconds", captures, c -> {
                        long lag = c.captures().get(index).progress().lagMs();
                        return lag < 0 ? Double.NaN : lag;
                    })
                    .tag("group", group).description("Commit-to-capture delay of the last captured event; NaN before one")
                    .register(registry);
            FunctionCounter.builder("shardwire.cdc.replica.ack.timeouts", captures,
                            c -> c.replicaAckTimeouts().get(index))
                    .tag("group", group)
                    .description("Times no replica acknowledged a captured transaction within cdc.replicaAckTimeoutMs,"
                            + " so changes were stored before a replica had them")
                    .register(registry);
            Gauge.builder("shardwire.cdc.streaming", captures,
                            c -> c.captures().get(index).health().state() == CaptureState.STREAMING ? 1 : 0)
                    .tag("group", group).description("1 while the capture reads the primary's binlog, else 0")
                    .register(registry);
        }
    }
}
