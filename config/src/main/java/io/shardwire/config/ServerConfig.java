package io.shardwire.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The proxy's listening side.
 *
 * @param host           address the MySQL and HTTP listeners bind to
 * @param port           MySQL protocol port
 * @param httpPort       HTTP port for {@code /health}, {@code /metrics} and the queue API
 * @param dataDir        the proxy's own state directory
 * @param authPlugin     authentication plugin advertised in the handshake
 * @param maxConnections connections accepted at once; the next one gets error 1040
 * @param users          who may connect, with their passwords and schemas
 */
public record ServerConfig(
        String host,
        int port,
        int httpPort,
        Path dataDir,
        AuthPlugin authPlugin,
        int maxConnections,
        List<UserConfig> users) {

    public ServerConfig {
        users = List.copyOf(users);
    }

    /** Authentication plugins the proxy speaks. */
    public enum AuthPlugin {
        MYSQL_NATIVE_PASSWORD("mysql_native_password"),
        CACHING_SHA2_PASSWORD("caching_sha2_password");

        private final String wireName;

        AuthPlugin(String wireName) {
            this.wireName = wireName;
        }

        /** The plugin name as it appears in the protocol and in the YAML. */
        public String wireName() {
            return wireName;
        }
    }
}
