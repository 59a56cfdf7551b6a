/**
 * The queue's HTTP API, independent of any HTTP server: {@link io.shardwire.mq.http.QueueHttpApi} turns a request
 * (method, path, query parameters, body) into a status and a JSON body. The proxy serves it on its HTTP port;
 * {@code docs/queue.md} documents the endpoints and {@link io.shardwire.mq.client.QueueClient} calls them.
 */
package io.shardwire.mq.http;
