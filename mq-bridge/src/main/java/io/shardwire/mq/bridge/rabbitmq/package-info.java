/**
 * The RabbitMQ bridge: the change topic into a durable topic exchange, at least once, with publisher confirms and a
 * stable message id for deduplication ({@link io.shardwire.mq.bridge.rabbitmq.RabbitMqBridgeSink}).
 */
package io.shardwire.mq.bridge.rabbitmq;
