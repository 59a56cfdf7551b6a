package io.shardwire.proxy.cdc;

import io.shardwire.cdc.CaptureOptions;
import io.shardwire.cdc.ChangeCaptures;
import io.shardwire.cdc.GroupSource;
import io.shardwire.cdc.source.ReplicationAccount;
import io.shardwire.config.CdcConfig;
import io.shardwire.config.SchemaConfig;
import io.shardwire.config.ShardGroupConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.mq.QueueStore;
import io.shardwire.proxy.backend.BackendConnection;
import io.shardwire.proxy.backend.BackendPools;
import io.shardwire.proxy.live.LiveConfig;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts change capture for every shard group primary when the configuration enables it: the
 * capture account on each primary, then one capture per group into the queue, with physical
 * names mapped back to logical ones and each broadcast table captured from its first copy only
 * ({@link RoutedTableNames}); each waits for the replicas that follow its primary
 * ({@link CaptureSources}). Captures connect in the background; their state is in
 * {@link ChangeCaptures#health()}.
 */
public final class CdcStarter {

    private static final Logger log = LoggerFactory.getLogger(CdcStarter.class);

    private CdcStarter() {
    }

    /**
     * Starts the captures.
     *
     * @throws IOException if the changes topic cannot be created in the queue
     */
    public static ChangeCaptures start(LiveConfig live, BackendPools pools, QueueStore queue) throws IOException {
        ShardwireConfig config = live.config();
        CdcConfig cdc = config.cdc();
        List<GroupSource> sources = new ArrayList<>();
        for (ShardGroupConfig group : config.shardGroups()) {
            ensureAccount(pools, group.name(), cdc);
            // The primary now (a failover before this start may have promoted a replica) and its followers.
            sources.add(CaptureSources.of(group, pools.roles(group.name())));
        }
        CaptureOptions options = CaptureOptions.defaults(cdc.user(), cdc.password(), cdc.serverIdBase(),
                config.dataDir().resolve("cdc")).withDatabases(capturedDatabases(config))
                .withKeyPartitions(cdc.partitioning() == CdcConfig.Partitioning.KEY ? cdc.keyPartitions() : 0)
                .withReplicaAckTimeout(Duration.ofMillis(cdc.replicaAckTimeoutMs()));
        // The names of the configuration in force: a reload may add or change tables on the data nodes captured.
        ChangeCaptures captures = ChangeCaptures.start(sources, options, queue,
                new RoutedTableNames(() -> live.current().names()), Clock.systemUTC());
        log.info("change capture started for {} shard groups into topic {}", sources.size(), options.topic());
        return captures;
    }

    /**
     * Creates the capture account on a primary with the proxy's own account; where that account may
     * not grant (a production setup), the operator creates it and this only logs why it could not.
     */
    private static void ensureAccount(BackendPools pools, String group, CdcConfig cdc) {
        try (BackendConnection connection = pools.primaryConnection(group, false)) {
            ReplicationAccount.ensure(connection.jdbc(), cdc.user(), cdc.password(), "%");
        } catch (SQLException e) {
            log.warn("could not create the capture account '{}' on {} ({}): {}; create it with SELECT, RELOAD,"
                    + " SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR, LOCK TABLES", cdc.user(), group,
                    pools.primaryAddress(group), e.getMessage());
        }
    }

    /** Every physical database of the configured schemas: their default databases and data nodes. */
    private static List<String> capturedDatabases(ShardwireConfig config) {
        List<String> databases = new ArrayList<>();
        for (SchemaConfig schema : config.schemas()) {
            databases.add(schema.name());
            schema.dataNodes().forEach(node -> databases.add(node.name()));
        }
        return databases;
    }
}
