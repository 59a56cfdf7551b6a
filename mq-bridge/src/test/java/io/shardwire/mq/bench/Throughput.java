package io.shardwire.mq.bench;

import java.util.Arrays;

/**
 * One measured run: records and bytes over elapsed time, and the latency of each append call.
 *
 * @param records    records moved
 * @param bytes      key and value bytes moved
 * @param nanos      elapsed time
 * @param latencies  latency of each append (or each acknowledged send), ns; empty for a consume
 */
record Throughput(long records, long bytes, long nanos, long[] latencies) {

    double recordsPerSecond() {
        return records * 1e9 / nanos;
    }

    double megabytesPerSecond() {
        return bytes * 1e9 / nanos / (1 << 20);
    }

    /** @return the 99th percentile latency in ms, or NaN without latencies */
    double p99Millis() {
        if (latencies.length == 0) {
            return Double.NaN;
        }
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
    }

    String row(String what) {
        return String.format("| %s | %,.0f | %.1f | %s |", what, recordsPerSecond(), megabytesPerSecond(),
                latencies.length == 0 ? "" : String.format("%.2f", p99Millis()));
    }
}
