package io.shardwire.proxy.admin;

import io.shardwire.config.SchemaConfig;
import io.shardwire.config.ServerConfig;
import io.shardwire.config.ShardGroupConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.config.UserConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * What differs between two configurations, key by key, and which differences the running proxy can take:
 * users, schemas and their tables (the router's rules), the router's memory merge limits and the slow-query
 * threshold apply live. Listeners, data directory, authentication plugin, connection limits, idle timeout, TLS, shard groups and their
 * data sources, change capture, queue, the snowflake worker id and the heartbeat need a restart, and so does a
 * change of the physical databases change capture reads (schemas and data nodes) while it runs.
 */
final class ConfigChanges {

    private ConfigChanges() {
    }

    /** The differences, in configuration order; empty when the two are the same. */
    static List<ConfigChange> between(ShardwireConfig running, ShardwireConfig next) {
        List<ConfigChange> changes = new ArrayList<>();
        ServerConfig a = running.server();
        ServerConfig b = next.server();
        restart(changes, "server.host", a.host(), b.host());
        restart(changes, "server.port", a.port(), b.port());
        restart(changes, "server.httpPort", a.httpPort(), b.httpPort());
        restart(changes, "server.dataDir", a.dataDir(), b.dataDir());
        restart(changes, "server.authPlugin", a.authPlugin().wireName(), b.authPlugin().wireName());
        restart(changes, "server.maxConnections", a.maxConnections(), b.maxConnections());
        restart(changes, "server.maxUserConnections", a.maxUserConnections(), b.maxUserConnections());
        restart(changes, "server.idleTimeoutSeconds", a.idleTimeout().toSeconds(), b.idleTimeout().toSeconds());
        restart(changes, "server.maxAllowedPacket", a.maxAllowedPacket(), b.maxAllowedPacket());
        restart(changes, "server.warmAuthCache", a.warmAuthCache(), b.warmAuthCache());
        restart(changes, "server.tls", a.tls(), b.tls());
        restart(changes, "server.nativeBackend", a.nativeBackend(), b.nativeBackend());
        restart(changes, "server.ioTransport", a.ioTransport().name().toLowerCase(Locale.ROOT),
                b.ioTransport().name().toLowerCase(Locale.ROOT));
        restart(changes, "server.busyPollMicros", a.busyPollMicros(), b.busyPollMicros());
        byName(changes, "server.users", a.users(), b.users(), UserConfig::name, true);
        byName(changes, "shardGroups", running.shardGroups(), next.shardGroups(), ShardGroupConfig::name, false);
        boolean capturedChange = running.cdc().enabled() && !capturedDatabases(running).equals(capturedDatabases(next));
        byName(changes, "schemas", running.schemas(), next.schemas(), SchemaConfig::name, !capturedChange);
        if (!running.cdc().equals(next.cdc())) {
            changes.add(new ConfigChange("cdc", "changed", false));
        }
        if (!running.queue().equals(next.queue())) {
            changes.add(new ConfigChange("queue", "changed", false));
        }
        live(changes, "router.maxMemoryMergeRows", running.router().maxMemoryMergeRows(), next.router().maxMemoryMergeRows());
        live(changes, "router.maxMemoryMergeBytes", running.router().maxMemoryMergeBytes(),
                next.router().maxMemoryMergeBytes());
        live(changes, "router.textPlanCacheSize", running.router().textPlanCacheSize(),
                next.router().textPlanCacheSize());
        restart(changes, "router.workerId", running.router().workerId(), next.router().workerId());
        restart(changes, "monitoring.heartbeatIntervalMs", running.monitoring().heartbeatIntervalMs(),
                next.monitoring().heartbeatIntervalMs());
        restart(changes, "monitoring.heartbeatTimeoutMs", running.monitoring().heartbeatTimeoutMs(),
                next.monitoring().heartbeatTimeoutMs());
        restart(changes, "monitoring.downAfterFailedChecks", running.monitoring().downAfterFailedChecks(),
                next.monitoring().downAfterFailedChecks());
        live(changes, "monitoring.slowQueryMs", running.monitoring().slowQueryMs(), next.monitoring().slowQueryMs());
        return changes;
    }

    private static void restart(List<ConfigChange> changes, String key, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            changes.add(new ConfigChange(key, before + " -> " + after, false));
        }
    }

    private static void live(List<ConfigChange> changes, String key, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            changes.add(new ConfigChange(key, before + " -> " + after, true));
        }
    }

    /** Entries of a named list added, removed or changed; values are not shown (users hold passwords). */
    private static <T> void byName(List<ConfigChange> changes, String key, List<T> before, List<T> after,
                                   Function<T, String> name, boolean live) {
        Map<String, T> old = index(before, name);
        Map<String, T> now = index(after, name);
        for (Map.Entry<String, T> entry : old.entrySet()) {
            T replacement = now.get(entry.getKey());
            if (replacement == null) {
                changes.add(new ConfigChange(key + "." + entry.getKey(), "removed", live));
            } else if (!replacement.equals(entry.getValue())) {
                changes.add(new ConfigChange(key + "." + entry.getKey(), "changed", live));
            }
        }
        for (String added : now.keySet()) {
            if (!old.containsKey(added)) {
                changes.add(new ConfigChange(key + "." + added, "added", live));
            }
        }
    }

    private static <T> Map<String, T> index(List<T> items, Function<T, String> name) {
        Map<String, T> byName = new LinkedHashMap<>();
        items.forEach(item -> byName.put(name.apply(item), item));
        return byName;
    }

    /** The physical databases change capture reads: each schema's own and its data nodes. */
    private static Set<String> capturedDatabases(ShardwireConfig config) {
        Set<String> databases = new LinkedHashSet<>();
        for (SchemaConfig schema : config.schemas()) {
            databases.add(schema.name());
            schema.dataNodes().forEach(node -> databases.add(node.name() + "@" + node.shardGroup()));
        }
        return databases;
    }
}
