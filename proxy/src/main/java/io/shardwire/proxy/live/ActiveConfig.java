package io.shardwire.proxy.live;

import io.shardwire.config.ShardwireConfig;
import io.shardwire.router.keygen.KeyGenerator;
import io.shardwire.router.plan.MergeLimits;
import io.shardwire.router.plan.QueryPlanner;
import io.shardwire.router.rule.LogicalNames;
import io.shardwire.router.rule.ShardingRules;

/**
 * A configuration with what is derived from it once: the planner over its sharding rules and the logical names of
 * its physical tables.
 *
 * @param config  the validated configuration
 * @param planner plans statements against its rules
 * @param names   physical databases and tables to logical ones, for result metadata and change capture
 */
public record ActiveConfig(ShardwireConfig config, QueryPlanner planner, LogicalNames names) {

    /**
     * Derives the planner and names.
     *
     * @param keys the key generator, shared by every configuration of one running proxy: two generators with the
     *             same worker id could hand out the same key in the same millisecond
     */
    public static ActiveConfig of(ShardwireConfig config, KeyGenerator keys) {
        MergeLimits limits = new MergeLimits(config.router().maxMemoryMergeRows(), config.router().maxMemoryMergeBytes());
        return new ActiveConfig(config, new QueryPlanner(config, keys, limits), new LogicalNames(new ShardingRules(config)));
    }
}
