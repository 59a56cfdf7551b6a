package io.shardwire.mq.client;

import java.util.List;

/**
 * What a fetch returned.
 *
 * @param records    the records in offset order, empty if none arrived within the wait
 * @param nextOffset the offset to fetch from next: one past the last record, or the offset asked for if none
 */
public record FetchResult(List<QueueRecord> records, long nextOffset) {

    /** Copies the records. */
    public FetchResult {
        records = List.copyOf(records);
    }
}
