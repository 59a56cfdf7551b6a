package io.shardwire.proxy.deadlock;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which proxy sessions wait for which, from the lock waits each shard group reports, and the cycles among them that
 * span several groups: deadlocks no single server sees, since each holds only part of the cycle. A cycle within one
 * group is left alone: InnoDB finds that one itself and rolls a victim back.
 *
 * <p>Pure: built and read by one thread.
 */
final class WaitForGraph {

    /**
     * One lock wait on a group: a statement of session {@code waiter} (on the group's server thread {@code thread},
     * running query {@code queryId}) waits for a lock the transaction of session {@code holder} holds there.
     */
    record Wait(long waiter, long holder, String group, long thread, long queryId) {
    }

    private final Map<Long, List<Wait>> bySession = new LinkedHashMap<>();

    WaitForGraph(Collection<Wait> waits) {
        for (Wait wait : waits) {
            if (wait.waiter() != wait.holder()) {
                bySession.computeIfAbsent(wait.waiter(), k -> new ArrayList<>()).add(wait);
            }
        }
    }

    /** Every cycle over two groups or more, once each, as its waits from its lowest session id on. */
    List<List<Wait>> crossGroupCycles() {
        List<List<Wait>> cycles = new ArrayList<>();
        Set<Set<Wait>> seen = new HashSet<>();
        for (long start : new TreeSet<>(bySession.keySet())) {
            walk(start, start, new ArrayList<>(), new HashSet<>(), cycles, seen);
        }
        return cycles;
    }

    /** Depth-first from {@code at}, through sessions above {@code start} only: each cycle is found from its lowest. */
    private void walk(long start, long at, List<Wait> path, Set<Long> onPath, List<List<Wait>> cycles,
                      Set<Set<Wait>> seen) {
        onPath.add(at);
        for (Wait wait : bySession.getOrDefault(at, List.of())) {
            path.add(wait);
            if (wait.holder() == start) {
                if (path.stream().map(Wait::group).distinct().count() > 1 && seen.add(new HashSet<>(path))) {
                    cycles.add(List.copyOf(path));
                }
            } else if (wait.holder() > start && !onPath.contains(wait.holder())) {
                walk(start, wait.holder(), path, onPath, cycles, seen);
            }
            path.removeLast();
        }
        onPath.remove(at);
    }
}
