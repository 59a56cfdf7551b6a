package io.shardwire.proxy.xa;

import io.shardwire.proxy.backend.BackendConnection;
import io.shardwire.proxy.backend.BackendPools;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the commit markers of finished cross-group transactions in batches, one DELETE per group about every
 * {@value #PERIOD_MS} ms, instead of a DELETE and a COMMIT on the first branch's connection per transaction. A
 * marker only matters while a branch of its transaction may still be prepared, which ended before it is queued
 * here; its decision stays pending in the {@link DecisionLog} until the marker is deleted, so a proxy that stops
 * first has the next start's {@link XaRecovery} delete it, as it does for any pending decision whose branches are
 * gone. A batch that fails is left to that recovery too (logged), so memory holds at most one period's markers.
 *
 * <p>Thread-safe.
 */
final class MarkerSweep implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MarkerSweep.class);
    static final long PERIOD_MS = 500;
    /** Gtrids per DELETE: a statement of at most ~40 KiB. */
    private static final int BATCH = 500;

    private final BackendPools pools;
    private final DecisionLog decisions;
    private final ScheduledExecutorService timer;
    private Map<String, List<String>> queued = new HashMap<>();

    MarkerSweep(BackendPools pools, DecisionLog decisions) {
        this.pools = pools;
        this.decisions = decisions;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("xa-marker-sweep").daemon().factory());
        timer.scheduleWithFixedDelay(this::sweep, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Queues the marker of {@code gtrid} on {@code group}, whose transaction's branches have all ended. */
    synchronized void add(String group, String gtrid) {
        queued.computeIfAbsent(group, g -> new ArrayList<>()).add(gtrid);
    }

    private void sweep() {
        Map<String, List<String>> due;
        synchronized (this) {
            if (queued.isEmpty()) {
                return;
            }
            due = queued;
            queued = new HashMap<>();
        }
        due.forEach(this::delete);
    }

    /** Deletes the group's markers, then resolves their decisions; on failure leaves both to recovery. */
    private void delete(String group, List<String> gtrids) {
        try (BackendConnection connection = pools.primaryConnection(group, false)) {
            for (int from = 0; from < gtrids.size(); from += BATCH) {
                List<String> batch = gtrids.subList(from, Math.min(gtrids.size(), from + BATCH));
                connection.run(CommitMarkers.delete(batch));
                for (String gtrid : batch) {
                    decisions.resolved(gtrid);
                }
            }
        } catch (SQLException | IOException | RuntimeException e) {
            log.warn("deleting {} commit markers on shard group {} failed; the next start's recovery deletes them: {}",
                    gtrids.size(), group, e.getMessage());
        }
    }

    /** Stops sweeping; markers still queued are deleted by the next start's recovery. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
