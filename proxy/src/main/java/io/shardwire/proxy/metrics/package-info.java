/**
 * Metrics in Prometheus format ({@code GET /metrics}) and the slow-query log. Meters on the statement path are
 * registered up front, so recording a statement allocates nothing.
 */
package io.shardwire.proxy.metrics;
