package io.shardwire.proxy.protocol.auth;

import java.util.Arrays;
import java.util.Optional;

/**
 * The <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_authentication_methods.html">
 * authentication methods</a> Shardwire can verify. Both compute their response from the same 20-byte scramble, so
 * a response made by either can be checked against the scramble of the greeting.
 */
public enum MySQLAuthPlugin {

    /** SHA-1 challenge-response; the default before MySQL 8.0. */
    MYSQL_NATIVE_PASSWORD("mysql_native_password"),

    /** SHA-256 challenge-response with a server-side cache and an RSA full authentication; MySQL 8's default. */
    CACHING_SHA2_PASSWORD("caching_sha2_password");

    private final String pluginName;

    MySQLAuthPlugin(String pluginName) {
        this.pluginName = pluginName;
    }

    /** The name used on the wire and in configuration. */
    public String pluginName() {
        return pluginName;
    }

    /** The plugin with this wire name, or empty if Shardwire does not support it. */
    public static Optional<MySQLAuthPlugin> ofPluginName(String pluginName) {
        return Arrays.stream(values()).filter(plugin -> plugin.pluginName.equals(pluginName)).findFirst();
    }

    /**
     * Whether a client's auth response stands for an empty password. Clients send either nothing (libmysqlclient's
     * {@code mysql_native_password}) or a single NUL (libmysqlclient's and Connector/J's
     * {@code caching_sha2_password}); neither can be mistaken for a real scramble, which is 20 or 32 bytes.
     */
    static boolean isEmptyResponse(byte[] authResponse) {
        return authResponse.length == 0 || authResponse.length == 1 && authResponse[0] == 0;
    }
}
