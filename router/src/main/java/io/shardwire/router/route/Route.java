package io.shardwire.router.route;

import java.util.Set;

/** Where a statement goes, as decided by {@link StatementRouter}. */
public sealed interface Route {

    /**
     * Run the statement as it is on one shard group's primary.
     *
     * @param shardGroup the shard group
     * @param schemas    the logical schemas the statement touches (for access checks)
     */
    record ToShardGroup(String shardGroup, Set<String> schemas) implements Route {
        public ToShardGroup {
            schemas = Set.copyOf(schemas);
        }
    }

    /** {@code USE schema}: the session switches its logical schema; no backend is involved. */
    record UseSchema(String schema) implements Route {
    }

    /** {@code SHOW DATABASES}: the proxy lists the logical schemas the user may see. */
    record ShowSchemas() implements Route {
    }
}
