package io.shardwire.config;

/**
 * A configuration that cannot be used, with where and why:
 * {@code shardwire.yaml: schemas[0].tables.orders.shardGroup: unknown shard group 'g9'}.
 */
public final class ConfigException extends RuntimeException {

    private final String source;
    private final String path;
    private final String reason;

    public ConfigException(String source, String path, String reason) {
        super(source + ": " + (path.isEmpty() ? "" : path + ": ") + reason);
        this.source = source;
        this.path = path;
        this.reason = reason;
    }

    public ConfigException(String source, String path, String reason, Throwable cause) {
        this(source, path, reason);
        initCause(cause);
    }

    /** The file (or other source) the configuration came from. */
    public String source() {
        return source;
    }

    /** The key path of the offending value, e.g. {@code shardGroups[1].primary.port}; empty for the whole file. */
    public String path() {
        return path;
    }

    /** What is wrong and, where it helps, what is expected. */
    public String reason() {
        return reason;
    }
}
