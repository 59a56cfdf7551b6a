/**
 * Bridges: each forwards the change topic to an outside broker as a consumer group of its own. {@link
 * io.shardwire.mq.bridge.QueueBridge} runs the loop (fetch, deliver, commit) and a {@link
 * io.shardwire.mq.bridge.BridgeSink} delivers to its broker: {@link io.shardwire.mq.bridge.kafka} exactly once,
 * {@link io.shardwire.mq.bridge.rabbitmq} at least once with a stable message id.
 */
package io.shardwire.mq.bridge;
