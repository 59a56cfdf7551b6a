/**
 * A Java client of the queue's HTTP API ({@link io.shardwire.mq.client.QueueClient}): list topics, fetch records,
 * seek, commit and read a group's lag over the proxy's HTTP port, with nothing but the JDK's HTTP client and Jackson.
 */
package io.shardwire.mq.client;
