/**
 * The internal queue: topics of partitions, each a durable segmented log with offset and time
 * indexes, consumer groups with committed offsets, replay, retention, and bridges to Kafka and
 * RabbitMQ. The CDC appends to it; consumers read it over the proxy's HTTP port.
 */
package io.shardwire.mq;
