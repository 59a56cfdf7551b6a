package io.shardwire.cdc.debezium;

import io.shardwire.cdc.event.ChangeEvent;
import java.util.List;

/**
 * Where {@link TransactionBatcher} keeps a snapshot's reads until the snapshot is complete: {@link SnapshotStaging} in
 * production, a list in tests. The group's partition gets them only whole, so a snapshot interrupted by a crash
 * leaves nothing there and is taken again.
 */
interface SnapshotStage {

    /**
     * Discards what an earlier, interrupted attempt staged: the connector takes the snapshot again from its start.
     *
     * @throws InterruptedException if interrupted meanwhile
     */
    void restart() throws InterruptedException;

    /**
     * Stages reads, in the snapshot's order.
     *
     * @param reads the reads, at least one
     * @throws InterruptedException if interrupted while storing
     */
    void stage(List<ChangeEvent> reads) throws InterruptedException;

    /**
     * Publishes the complete snapshot: appends every staged read to the group's partition, exactly once however
     * often this is interrupted and resumed, with the snapshot's end position, then discards the staging.
     *
     * @param end the position after the snapshot's last record, from which streaming starts
     * @throws InterruptedException if interrupted while storing
     */
    void publish(CapturePosition end) throws InterruptedException;
}
