package io.shardwire.cdc;

/** Where one group's capture is in its life. */
public enum CaptureState {

    /** Created, not started. */
    NEW,
    /**
     * The engine runs but does not read the binlog: connecting, taking the initial snapshot, or reconnecting after
     * losing the primary (the binlog client checks its connection every 5 s). Commits made meanwhile are captured
     * once it reads the binlog again.
     */
    CONNECTING,
    /** Connected to the primary's binlog: commits are being captured as they happen. */
    STREAMING,
    /** Stopped by {@link ChangeCapture#close()}. */
    STOPPED,
    /** The engine stopped on an error; {@link CaptureHealth#failure()} says which. A new capture resumes. */
    FAILED
}
