package io.shardwire.proxy.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.Topic;
import io.shardwire.mq.log.PartitionLog;
import io.shardwire.mq.log.TopicPartition;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * Gauges of the queue: per topic partition its log start and end offsets and its bytes on disk, per consumer group
 * and partition it committed to its lag in records, and the queue's total bytes. Topics and groups appear while the
 * proxy runs, so {@link #refresh} registers the gauges of new ones before each scrape; one already registered is
 * skipped (Micrometer would ignore it, but log the attempt).
 */
public final class QueueMetrics {

    private final QueueStore queue;
    private final MeterRegistry registry;

    public QueueMetrics(QueueStore queue, MeterRegistry registry) {
        this.queue = queue;
        this.registry = registry;
        Gauge.builder("shardwire.queue.bytes", queue, QueueStore::usedBytes)
                .description("Bytes the queue's segments and indexes take on disk").register(registry);
        Gauge.builder("shardwire.queue.blocked.on.quota", queue, q -> q.isBlockedOnQuota() ? 1 : 0)
                .description("1 while an append waits for retention to free space under queue.diskQuotaBytes")
                .register(registry);
    }

    /** Registers the gauges of topics, partitions and consumer groups that appeared since the last call. */
    public void refresh() {
        for (Topic topic : queue.topics()) {
            for (PartitionLog log : topic.partitions()) {
                TopicPartition partition = log.partition();
                Tags tags = Tags.of("topic", partition.topic(), "partition", Integer.toString(partition.partition()));
                partitionGauge("shardwire.queue.log.end.offset", "Offset the next record of the partition gets",
                        tags, partition, PartitionLog::logEndOffset);
                partitionGauge("shardwire.queue.log.start.offset", "Oldest offset the partition still retains",
                        tags, partition, PartitionLog::logStartOffset);
                partitionGauge("shardwire.queue.partition.bytes", "Bytes of the partition's segments", tags,
                        partition, PartitionLog::sizeInBytes);
            }
        }
        for (String group : queue.groups().groups()) {
            for (TopicPartition partition : queue.groups().committed(group).keySet()) {
                Tags tags = Tags.of("group", group, "topic", partition.topic(),
                        "partition", Integer.toString(partition.partition()));
                if (absent("shardwire.queue.consumer.lag", tags)) {
                    Gauge.builder("shardwire.queue.consumer.lag", queue, q -> lag(q, group, partition).orElse(Double.NaN))
                            .tags(tags).description("Records of the partition after the consumer group's committed offset")
                            .register(registry);
                }
            }
        }
    }

    private void partitionGauge(String name, String description, Tags tags, TopicPartition partition,
                                ToDoubleFunction<PartitionLog> value) {
        if (!absent(name, tags)) {
            return;
        }
        Gauge.builder(name, queue, q -> q.topic(partition.topic())
                        .map(t -> value.applyAsDouble(t.partition(partition.partition()))).orElse(Double.NaN))
                .tags(tags).description(description).register(registry);
    }

    private boolean absent(String name, Tags tags) {
        return registry.find(name).tags(tags).gauge() == null;
    }

    private static OptionalDouble lag(QueueStore queue, String group, TopicPartition partition) {
        return queue.topic(partition.topic()).map(topic -> {
            PartitionLog log = topic.partition(partition.partition());
            long committed = queue.committed(group, partition.topic(), partition.partition())
                    .orElse(log.logStartOffset());
            return OptionalDouble.of(Math.max(0, log.logEndOffset() - committed));
        }).orElse(OptionalDouble.empty());
    }
}
