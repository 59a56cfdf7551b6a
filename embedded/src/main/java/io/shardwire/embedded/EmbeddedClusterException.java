package io.shardwire.embedded;

/**
 * An embedded cluster or server that could not be started, stopped or set up, with what was being done and
 * what to do: {@code g0-replica1 (port 3311): mariadbd did not report ready within 120 s; see .../mariadbd.log}.
 */
public final class EmbeddedClusterException extends RuntimeException {

    private final String subject;
    private final String reason;

    EmbeddedClusterException(String subject, String reason) {
        super(subject + ": " + reason);
        this.subject = subject;
        this.reason = reason;
    }

    EmbeddedClusterException(String subject, String reason, Throwable cause) {
        this(subject, reason);
        initCause(cause);
    }

    /** What failed: a server ({@code g0-primary (port 41234)}), the binaries dir or the cluster dir. */
    public String subject() {
        return subject;
    }

    /** What went wrong and, where it helps, where to look or what to change. */
    public String reason() {
        return reason;
    }
}
