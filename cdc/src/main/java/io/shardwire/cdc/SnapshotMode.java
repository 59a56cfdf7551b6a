package io.shardwire.cdc;

/** What a group's capture reads before the binlog when the queue holds no position for the group yet. */
public enum SnapshotMode {

    /** Emit every existing row of the captured tables as a read ({@code r}) event, then stream. The default. */
    INITIAL("initial"),
    /** Record the table structures only and stream from the current binlog position: existing rows are not emitted. */
    NO_DATA("no_data"),
    /**
     * Rebuild a lost schema history from the current table structures, then resume from the queue's position.
     * Correct only if no table changed structure since that position.
     */
    RECOVERY("recovery");

    private final String debeziumName;

    SnapshotMode(String debeziumName) {
        this.debeziumName = debeziumName;
    }

    /** @return Debezium's {@code snapshot.mode} value */
    public String debeziumName() {
        return debeziumName;
    }
}
