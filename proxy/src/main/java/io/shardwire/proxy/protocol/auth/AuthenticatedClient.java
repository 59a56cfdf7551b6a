package io.shardwire.proxy.protocol.auth;

import io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag;
import java.util.Map;
import java.util.Objects;

/**
 * A client that has proven its identity, with what it negotiated in the handshake.
 *
 * @param user the authenticated user name
 * @param schema the schema the client asked to start in, or null for none
 * @param capabilities the capabilities in force: the client's mask ANDed with the server's
 * @param characterSet the client's collation id; {@code MySQLCharacterSet.javaCharset} gives its charset
 * @param authPlugin the plugin that verified the password
 * @param connectAttributes the client's connection attributes, in the order sent
 * @param remoteHost the client's host (address), as shown in "Access denied" messages
 */
public record AuthenticatedClient(String user, String schema, int capabilities, int characterSet,
        MySQLAuthPlugin authPlugin, Map<String, String> connectAttributes, String remoteHost) {

    public AuthenticatedClient {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(authPlugin, "authPlugin");
        Objects.requireNonNull(remoteHost, "remoteHost");
        connectAttributes = Map.copyOf(connectAttributes);
    }

    /** Whether {@code flag} is in force on this connection. */
    public boolean hasCapability(MySQLCapabilityFlag flag) {
        return flag.isSet(capabilities);
    }
}
