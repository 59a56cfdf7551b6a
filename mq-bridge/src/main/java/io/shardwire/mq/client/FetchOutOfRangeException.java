package io.shardwire.mq.client;

/**
 * A fetch asked for an offset the partition does not hold (HTTP 416): below the earliest retained offset (retention
 * deleted it) or past the log end. Fetch again from {@link #earliestOffset} or a committed offset.
 */
public final class FetchOutOfRangeException extends QueueApiException {

    private final long earliestOffset;
    private final long latestOffset;

    /**
     * @param request        the request
     * @param error          the API's error message
     * @param earliestOffset the partition's earliest offset when the fetch failed
     * @param latestOffset   the partition's log end offset when the fetch failed
     */
    public FetchOutOfRangeException(String request, String error, long earliestOffset, long latestOffset) {
        super(request, 416, error);
        this.earliestOffset = earliestOffset;
        this.latestOffset = latestOffset;
    }

    /** @return the partition's earliest offset when the fetch failed */
    public long earliestOffset() {
        return earliestOffset;
    }

    /** @return the partition's log end offset when the fetch failed */
    public long latestOffset() {
        return latestOffset;
    }
}
