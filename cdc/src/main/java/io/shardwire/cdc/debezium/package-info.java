/**
 * The Debezium boundary: the embedded engine per group, its offset store that lives in the queue, and the batching
 * of its records into one atomic queue append per source transaction. Nothing outside this package sees a Debezium
 * or Kafka Connect type.
 */
package io.shardwire.cdc.debezium;
