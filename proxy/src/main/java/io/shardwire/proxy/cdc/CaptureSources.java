package io.shardwire.proxy.cdc;

import io.shardwire.cdc.GroupSource;
import io.shardwire.config.DataSourceConfig;
import io.shardwire.config.ShardGroupConfig;
import io.shardwire.proxy.topology.GroupTopology;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a group's change capture reads and which replicas it waits for: the primary the topology names now and the
 * replicas that follow it (not a fenced former primary, which follows no one, nor a stranded replica, which may still
 * follow the old primary and so acknowledge a position the new one does not have).
 */
public final class CaptureSources {

    private CaptureSources() {
    }

    /**
     * @param group the group's configuration
     * @param roles its roles now
     * @return its capture's source
     */
    public static GroupSource of(ShardGroupConfig group, GroupTopology roles) {
        DataSourceConfig primary = group.source(roles.primary());
        List<GroupSource.Replica> replicas = new ArrayList<>();
        for (int source = 0; source < group.sourceCount(); source++) {
            if (roles.follower(source)) {
                replicas.add(new GroupSource.Replica(group.source(source).host(), group.source(source).port()));
            }
        }
        return new GroupSource(group.name(), primary.host(), primary.port(), replicas);
    }
}
