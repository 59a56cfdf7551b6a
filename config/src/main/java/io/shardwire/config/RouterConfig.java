package io.shardwire.config;

/**
 * Settings of the sharding router.
 *
 * @param maxMemoryMergeRows  rows (groups, distinct rows) a memory merge may hold before the
 *                            statement fails with an error rather than exhaust the heap
 * @param maxMemoryMergeBytes bytes of values a memory merge may hold, likewise
 * @param workerId            this proxy's snowflake worker id, unique among proxies writing the same
 *                            tables, so generated keys never collide
 * @param textPlanCacheSize   text-protocol statement shapes whose plans are kept (statements that differ only in
 *                            integer literals of their comparisons share one); 0 plans every statement afresh
 */
public record RouterConfig(long maxMemoryMergeRows, long maxMemoryMergeBytes, int workerId, int textPlanCacheSize) {

    /** 100,000 rows, 64 MiB, worker 0, 1024 shapes. */
    public static final RouterConfig DEFAULT = new RouterConfig(100_000, 64L << 20, 0, 1024);
}
