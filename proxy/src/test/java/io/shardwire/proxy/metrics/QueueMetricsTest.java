package io.shardwire.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class QueueMetricsTest {

    @TempDir
    Path dataDir;

    @Test
    void aRefreshBeforeEveryScrapeRegistersEachGaugeOnceWithoutMicrometerComplaining() throws Exception {
        // Micrometer logs a gauge registered twice once at WARN, then at DEBUG: both are caught here.
        Logger micrometer = (Logger) LoggerFactory.getLogger(MeterRegistry.class);
        Level level = micrometer.getLevel();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        micrometer.addAppender(events);
        micrometer.setLevel(Level.DEBUG);
        try (QueueStore queue = QueueStore.open(QueueSettings.defaults(dataDir), Clock.systemUTC())) {
            queue.createTopic("orders", 2);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            QueueMetrics metrics = new QueueMetrics(queue, registry);
            metrics.refresh();
            metrics.refresh();
            assertThat(registry.find("shardwire.queue.log.end.offset").gauges()).hasSize(2);
            assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage)
                    .noneMatch(message -> message.contains("already registered"));
        } finally {
            micrometer.detachAppender(events);
            micrometer.setLevel(level);
        }
    }
}
