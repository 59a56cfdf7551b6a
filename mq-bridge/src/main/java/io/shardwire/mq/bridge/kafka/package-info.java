/**
 * The Kafka bridge: the change topic into one Kafka topic per logical table, exactly once, with a transactional
 * producer ({@link io.shardwire.mq.bridge.kafka.KafkaBridgeSink}).
 */
package io.shardwire.mq.bridge.kafka;
