package io.shardwire.cdc.debezium;

/**
 * How a completed snapshot is copied from its staging topic into the group's partition: staging offset {@code o}
 * (of {@code records}, from 0) is stored in a group batch of sequence {@code firstSequence + o} or later, so the
 * group producer's last stored sequence says how far the copy got, and a copy interrupted by a crash goes on after it.
 *
 * @param firstSequence the group producer's sequence of staging offset 0
 * @param records       the snapshot's records in the staging topic
 */
record SnapshotCopy(long firstSequence, long records) {

    /** Checks the values. */
    SnapshotCopy {
        if (firstSequence < 0 || records < 1) {
            throw new IllegalArgumentException("firstSequence " + firstSequence + ", records " + records
                    + " (expected: >= 0 and >= 1)");
        }
    }

    /** @return the group producer's sequence once every record is copied */
    long lastSequence() {
        return firstSequence + records - 1;
    }

    /**
     * @param storedSequence the group producer's last stored sequence
     * @return the first staging offset not yet copied; {@link #records} once all are
     */
    long nextOffset(long storedSequence) {
        return Math.max(0, Math.min(records, storedSequence - firstSequence + 1));
    }
}
