package io.shardwire.proxy.backend;

import io.shardwire.config.ReadSplitConfig.Balancer;
import io.shardwire.config.ShardGroupConfig;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chooses one of a shard group's replicas in rotation by the group's configured balancer, and counts the reads
 * running on each replica (for {@code leastOutstanding}).
 *
 * <p>Thread-safe.
 */
final class ReplicaBalancer {

    private final ShardGroupConfig group;
    private final AtomicLong turn = new AtomicLong();
    private final AtomicInteger[] outstanding;

    ReplicaBalancer(ShardGroupConfig group) {
        this.group = group;
        this.outstanding = new AtomicInteger[group.replicas().size()];
        for (int i = 0; i < outstanding.length; i++) {
            outstanding[i] = new AtomicInteger();
        }
    }

    /**
     * One of {@code candidates} (replica indexes, counted from 0, in configuration order), which must not be empty.
     */
    int choose(List<Integer> candidates) {
        Balancer balancer = group.reads().balancer();
        return switch (balancer) {
            case ROUND_ROBIN -> candidates.get((int) Math.floorMod(turn.getAndIncrement(), (long) candidates.size()));
            case WEIGHTED -> weighted(candidates);
            case LEAST_OUTSTANDING -> leastOutstanding(candidates);
        };
    }

    private int weighted(List<Integer> candidates) {
        int total = 0;
        for (int replica : candidates) {
            total += group.replicas().get(replica).weight();
        }
        int ticket = ThreadLocalRandom.current().nextInt(total);
        for (int replica : candidates) {
            ticket -= group.replicas().get(replica).weight();
            if (ticket < 0) {
                return replica;
            }
        }
        return candidates.getLast();
    }

    private int leastOutstanding(List<Integer> candidates) {
        // Ties go round-robin, so an idle group still spreads its reads.
        int start = (int) Math.floorMod(turn.getAndIncrement(), (long) candidates.size());
        int best = candidates.get(start);
        for (int i = 1; i < candidates.size(); i++) {
            int replica = candidates.get((start + i) % candidates.size());
            if (outstanding[replica].get() < outstanding[best].get()) {
                best = replica;
            }
        }
        return best;
    }

    /** A read starts on the replica; the returned action ends it. */
    Runnable started(int replica) {
        outstanding[replica].incrementAndGet();
        return outstanding[replica]::decrementAndGet;
    }
}
