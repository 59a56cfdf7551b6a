package io.shardwire.proxy.admin;

import io.shardwire.cdc.CaptureHealth;
import io.shardwire.cdc.CaptureProgress;
import io.shardwire.cdc.ChangeCaptures;
import io.shardwire.config.SchemaConfig;
import io.shardwire.config.ShardingAlgorithmConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.config.TableConfig;
import io.shardwire.config.TablePlacement;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.Topic;
import io.shardwire.mq.log.PartitionLog;
import io.shardwire.mq.log.TopicPartition;
import io.shardwire.proxy.backend.BackendPools;
import io.shardwire.proxy.health.DataSourceHealth;
import io.shardwire.proxy.health.DataSourceRole;
import io.shardwire.proxy.health.ReplicaLag;
import io.shardwire.proxy.session.SessionRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The rows of each admin statement, as strings (SQL NULL where a value is unknown or does not apply). Column
 * names are lower case with underscores, as in MariaDB's information_schema views.
 */
final class AdminViews {

    /** A result: column names and rows. */
    record Table(List<String> columns, List<List<String>> rows) {
    }

    private AdminViews() {
    }

    /** SHOW SHARDWIRE GROUPS: each data source with its health, lag and pool use. */
    static Table groups(ShardwireConfig config, List<DataSourceHealth> health, BackendPools pools) {
        List<List<String>> rows = new ArrayList<>();
        for (DataSourceHealth source : health) {
            Optional<ReplicaLag> lag = source.lag();
            boolean primary = source.role() == DataSourceRole.PRIMARY;
            BackendPools.PoolUse use = primary ? pools.primaryUse(source.group()) : null;
            rows.add(row(source.group(), source.role().name().toLowerCase(Locale.ROOT), source.address(),
                    source.state().name(),
                    source.lastCheck().map(Object::toString).orElse(null),
                    Integer.toString(source.consecutiveFailures()),
                    lag.map(l -> l.replicating() ? "Yes" : "No").orElse(null),
                    lag.flatMap(l -> l.secondsBehind().isPresent()
                            ? Optional.of(Long.toString(l.secondsBehind().getAsLong())) : Optional.empty()).orElse(null),
                    lag.filter(l -> l.transactionsBehind() >= 0).map(l -> Long.toString(l.transactionsBehind()))
                            .orElse(null),
                    lag.map(l -> l.replicaPosition().text()).orElse(null),
                    use == null ? null : Integer.toString(use.active()),
                    use == null ? null : Integer.toString(use.idle()),
                    use == null ? null : Integer.toString(use.total()),
                    source.lastError().orElse(null)));
        }
        return new Table(List.of("group", "role", "address", "health", "last_check", "failures", "replicating",
                "lag_seconds", "lag_transactions", "gtid_position", "pool_active", "pool_idle", "pool_total",
                "last_error"), rows);
    }

    /** SHOW SHARDWIRE TABLES: each configured logical table, its kind, rule and data nodes. */
    static Table tables(ShardwireConfig config) {
        List<List<String>> rows = new ArrayList<>();
        for (SchemaConfig schema : config.schemas()) {
            for (TableConfig table : schema.tables().values()) {
                rows.add(row(schema.name(), table.name(), table.kind().name().toLowerCase(Locale.ROOT),
                        rule(table), dataNodes(schema, table)));
            }
        }
        return new Table(List.of("schema", "table", "kind", "rule", "data_nodes"), rows);
    }

    private static String rule(TableConfig table) {
        return switch (table.placement()) {
            case TablePlacement.Single single -> null;
            case TablePlacement.Broadcast broadcast -> "copy on every data node";
            case TablePlacement.Sharded sharded -> algorithm(sharded.rule().algorithm()) + "(" + sharded.shardKey()
                    + ") over " + sharded.rule().buckets() + " buckets"
                    + sharded.bindTo().map(parent -> ", bound to " + parent).orElse("");
        };
    }

    private static String algorithm(ShardingAlgorithmConfig algorithm) {
        return switch (algorithm) {
            case ShardingAlgorithmConfig.Mod mod -> "mod";
            case ShardingAlgorithmConfig.Hash hash -> "hash";
            case ShardingAlgorithmConfig.Range range -> "range" + range.boundaries();
            case ShardingAlgorithmConfig.Date date -> "date by " + date.unit().name().toLowerCase(Locale.ROOT);
        };
    }

    /** {@code database.table@group}, comma separated, in bucket map order. */
    private static String dataNodes(SchemaConfig schema, TableConfig table) {
        return switch (table.placement()) {
            case TablePlacement.Single single -> single.dataNode().orElse(schema.name()) + "." + table.physicalTable()
                    + "@" + single.dataNode().flatMap(schema::dataNode).map(n -> n.shardGroup())
                            .orElse(single.shardGroup());
            case TablePlacement.Broadcast broadcast -> broadcast.dataNodes().stream()
                    .map(node -> node + "." + table.physicalTable() + "@" + groupOf(schema, node))
                    .collect(Collectors.joining(", "));
            case TablePlacement.Sharded sharded -> {
                List<String> nodes = new ArrayList<>();
                for (int i = 0; i < sharded.rule().dataNodes().size(); i++) {
                    String node = sharded.rule().dataNodes().get(i);
                    nodes.add(node + "." + table.physicalTable(i) + "@" + groupOf(schema, node));
                }
                yield String.join(", ", nodes);
            }
        };
    }

    private static String groupOf(SchemaConfig schema, String dataNode) {
        return schema.dataNode(dataNode).map(n -> n.shardGroup()).orElse("?");
    }

    /** SHOW SHARDWIRE SESSIONS: each client connection. */
    static Table sessions(SessionRegistry registry) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<Long, SessionRegistry.Control> entry : registry.all().entrySet()) {
            SessionRegistry.Control session = entry.getValue();
            rows.add(row(Long.toString(entry.getKey()), session.user(), session.clientHost(), session.schema(),
                    session.connectedAt().toString()));
        }
        return new Table(List.of("id", "user", "host", "schema", "connected_at"), rows);
    }

    /** SHOW SHARDWIRE CDC: per shard group, the capture's state, position, lag and rate. */
    static Table cdc(Optional<ChangeCaptures> running, CaptureRates rates) {
        List<List<String>> rows = new ArrayList<>();
        if (running.isPresent()) {
            long now = System.nanoTime();
            List<CaptureHealth> health = running.get().health();
            List<CaptureProgress> progress = running.get().progress();
            for (int i = 0; i < health.size(); i++) {
                CaptureHealth h = health.get(i);
                CaptureProgress p = progress.get(i);
                double rate = rates.perSecond(h.group(), p.eventsCaptured(), now);
                rows.add(row(h.group(), h.state().name(), p.lastPosition().orElse(null),
                        p.lagMs() < 0 ? null : Long.toString(p.lagMs()),
                        Long.toString(p.eventsCaptured()),
                        rate < 0 ? null : String.format(Locale.ROOT, "%.1f", rate),
                        Long.toString(h.lastSequence()), h.failure().orElse(null)));
            }
        }
        return new Table(List.of("group", "state", "position", "lag_ms", "events", "events_per_second",
                "last_batch", "failure"), rows);
    }

    /** SHOW SHARDWIRE QUEUE: per topic partition its offsets and size, then each group's committed offset and lag. */
    static Table queue(QueueStore queue) {
        List<List<String>> rows = new ArrayList<>();
        for (Topic topic : queue.topics()) {
            for (PartitionLog log : topic.partitions()) {
                TopicPartition partition = log.partition();
                rows.add(row(partition.topic(), Integer.toString(partition.partition()), null,
                        Long.toString(log.logStartOffset()), Long.toString(log.logEndOffset()),
                        Long.toString(log.sizeInBytes()), null, null));
                for (String group : queue.groups().groups()) {
                    queue.committed(group, partition.topic(), partition.partition()).ifPresent(committed -> rows.add(
                            row(partition.topic(), Integer.toString(partition.partition()), group,
                                    Long.toString(log.logStartOffset()), Long.toString(log.logEndOffset()),
                                    Long.toString(log.sizeInBytes()), Long.toString(committed),
                                    Long.toString(Math.max(0, log.logEndOffset() - committed)))));
                }
            }
        }
        return new Table(List.of("topic", "partition", "consumer_group", "start_offset", "end_offset", "bytes",
                "committed_offset", "lag"), rows);
    }

    /** RELOAD SHARDWIRE CONFIG: what changed. */
    static Table changes(List<ConfigChange> changes) {
        List<List<String>> rows = new ArrayList<>();
        changes.forEach(change -> rows.add(row(change.key(), change.change())));
        return new Table(List.of("key", "change"), rows);
    }

    private static List<String> row(String... values) {
        return Arrays.asList(values);
    }
}
