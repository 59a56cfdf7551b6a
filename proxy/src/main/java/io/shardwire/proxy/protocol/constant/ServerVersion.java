package io.shardwire.proxy.protocol.constant;

/** What the proxy calls itself: in the greeting, and in {@code @@version} and {@code @@version_comment}. */
public final class ServerVersion {

    /**
     * The version clients see: the backends' MariaDB version, which drivers parse to choose features.
     * Without MariaDB's "5.5.5-" prefix, since MySQL drivers would then take the proxy for MySQL 5.5.5
     * and speak an older caching_sha2_password exchange (Connector/J does).
     */
    public static final String VERSION = "11.4.5-MariaDB-Shardwire-0.1.0";

    /** {@code @@version_comment}. */
    public static final String COMMENT = "Shardwire sharding proxy";

    private ServerVersion() {
    }
}
