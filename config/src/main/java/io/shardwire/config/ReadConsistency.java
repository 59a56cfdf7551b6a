package io.shardwire.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Which server may answer a session's autocommit reads in a shard group whose reads go to replicas.
 */
public enum ReadConsistency {
    /** Any healthy replica within the lag limit, even one that has not applied the session's own writes. */
    EVENTUAL,
    /**
     * Read-your-writes: after the session wrote to a group, a replica answers there only once it has applied
     * that write's GTID; else the primary does.
     */
    SESSION,
    /** The primary only. */
    STRONG;

    /** The level a user or session gets when none is configured. */
    public static final ReadConsistency DEFAULT = SESSION;

    /** The name as written in YAML and in {@code SET shardwire_consistency}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level of this name (case-insensitive), or empty. */
    public static Optional<ReadConsistency> parse(String name) {
        return Arrays.stream(values()).filter(level -> level.name().equalsIgnoreCase(name.trim())).findFirst();
    }
}
