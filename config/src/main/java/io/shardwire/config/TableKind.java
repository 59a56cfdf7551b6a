package io.shardwire.config;

/** How a logical table is spread over data nodes; written in lower case in YAML. */
public enum TableKind {
    /** Whole on one data node (or, by default, on a shard group under the logical schema's name). */
    SINGLE,
    /** A full copy on every data node of the schema: writes go to all, reads to one. */
    BROADCAST,
    /** Rows spread over data nodes by a shard key, an algorithm and a bucket map. */
    SHARDED,
    /** Sharded with the rule of another sharded table, so joins between them stay on one data node. */
    BINDING
}
