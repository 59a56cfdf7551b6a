package io.shardwire.embedded;

import java.util.List;
import java.util.Objects;

/**
 * One shard group of an {@link EmbeddedCluster}: a primary and the replicas that follow it by GTID.
 *
 * @param name     {@code g0}, {@code g1}, ...; the servers are named {@code <name>-primary}, {@code <name>-replica1}, ...
 * @param primary  the server that takes writes
 * @param replicas the read-only servers replicating from {@code primary}, in order; possibly empty
 */
public record EmbeddedGroup(String name, EmbeddedServer primary, List<EmbeddedServer> replicas) {

    public EmbeddedGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(primary, "primary");
        replicas = List.copyOf(replicas);
    }
}
