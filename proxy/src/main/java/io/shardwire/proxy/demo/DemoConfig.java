package io.shardwire.proxy.demo;

import io.shardwire.config.ServerConfig;
import io.shardwire.embedded.EmbeddedGroup;
import io.shardwire.embedded.EmbeddedServer;
import java.util.List;

/**
 * Writes the demo's configuration as YAML text, the same format a user writes, so the demo starts
 * through the same loader and validation as {@code shardwire start --config}.
 */
public final class DemoConfig {

    private DemoConfig() {
    }

    /** Data nodes (physical databases) the demo puts on each shard group. */
    public static final int NODES_PER_GROUP = 2;

    /**
     * The demo configuration: users {@code app}/{@code app} (schema {@code shop}) and
     * {@code admin}/{@code admin}, the given shard groups, and {@code shop} spread over
     * {@value #NODES_PER_GROUP} data nodes per group: {@code customers} sharded by id,
     * {@code orders} bound to it by customer_id, {@code products} broadcast; tables with no
     * placement live in the database {@code shop} on the first group; with {@code cdc}, every
     * committed change is captured into the queue's {@code shardwire.changes} topic. TLS is offered with a
     * self-signed certificate made at start.
     */
    public static String yaml(String host, int port, int httpPort, String dataDir, ServerConfig.AuthPlugin authPlugin,
                              List<EmbeddedGroup> groups, String backendUser, String backendPassword, boolean cdc) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("# Written by 'shardwire demo' at every start; edit a copy for your own setup.\n")
                .append("server:\n")
                .append("  host: ").append(host).append('\n')
                .append("  port: ").append(port).append('\n')
                .append("  httpPort: ").append(httpPort).append('\n')
                .append("  dataDir: ").append(quoted(dataDir)).append('\n')
                .append("  authPlugin: ").append(authPlugin.wireName()).append('\n')
                .append("  tls: {enabled: true}   # self-signed certificate made at start; try mariadb --ssl\n")
                .append("  users:\n")
                .append("    - {name: app, password: app, schemas: [shop]}\n")
                .append("    - {name: admin, password: admin, admin: true}\n")
                .append("shardGroups:\n");
        for (EmbeddedGroup group : groups) {
            yaml.append("  - name: ").append(group.name()).append('\n')
                    .append("    primary: ").append(dataSource(group.primary(), backendUser, backendPassword)).append('\n')
                    .append("    replicas:\n");
            for (EmbeddedServer replica : group.replicas()) {
                yaml.append("      - ").append(dataSource(replica, backendUser, backendPassword)).append('\n');
            }
        }
        yaml.append("schemas:\n")
                .append("  - name: shop\n")
                .append("    defaultShardGroup: ").append(groups.getFirst().name()).append('\n')
                .append("    dataNodes: {");
        List<String> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < groups.size() * NODES_PER_GROUP; i++) {
            nodes.add(DemoSchema.dataNode(i) + ": " + groups.get(i / NODES_PER_GROUP).name());
        }
        yaml.append(String.join(", ", nodes)).append("}\n")
                .append("    tables:\n")
                .append("      customers: {kind: sharded, shardKey: id, algorithm: {type: hash},"
                        + " physicalTable: 'customers_${index}'}\n")
                .append("      orders: {kind: binding, bindTo: customers, shardKey: customer_id,"
                        + " physicalTable: 'orders_${index}'}\n")
                .append("      products: {kind: broadcast}\n")
                .append("cdc:\n")
                .append("  enabled: ").append(cdc).append('\n');
        return yaml.toString();
    }

    private static String dataSource(EmbeddedServer server, String user, String password) {
        return "{host: " + server.host() + ", port: " + server.port() + ", user: " + quoted(user)
                + ", password: " + quoted(password) + "}";
    }

    private static String quoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
