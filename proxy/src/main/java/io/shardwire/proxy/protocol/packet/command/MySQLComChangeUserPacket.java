package io.shardwire.proxy.protocol.packet.command;

import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_CONNECT_WITH_DB;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_PLUGIN_AUTH;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_SECURE_CONNECTION;

import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.packet.handshake.MySQLHandshakeResponse41Packet;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.Objects;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_change_user.html">COM_CHANGE_USER</a>:
 * log in again on the same connection as another (or the same) user, with a fresh session.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * 1            command: 0x11
 * n NUL        user name
 * n            auth response: 1-byte length + bytes if CLIENT_SECURE_CONNECTION, else string&lt;NUL&gt;
 * n NUL        schema name (may be empty)
 * 2            character set (collation id), if more data follows
 * n NUL        auth plugin name, if CLIENT_PLUGIN_AUTH
 * n lenenc     connection attributes, if CLIENT_CONNECT_ATTRS (not read: they only describe the client)
 * </pre>
 *
 * @param username     user name
 * @param authResponse the plugin's response to the connection's scramble
 * @param schema       the schema to use, or empty for none
 * @param characterSet the client's collation id, or -1 when the packet ends before it
 * @param pluginName   the plugin that computed {@code authResponse}, or null when not named
 */
public record MySQLComChangeUserPacket(String username, byte[] authResponse, String schema, int characterSet,
                                       String pluginName) {

    public MySQLComChangeUserPacket {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(authResponse, "authResponse");
        Objects.requireNonNull(schema, "schema");
    }

    /**
     * Reads the body of a COM_CHANGE_USER, after the command byte.
     *
     * @param capabilities the capabilities negotiated at connect, which decide the layout
     * @param charset      the connection's charset, for the names before the packet's own collation id
     */
    public static MySQLComChangeUserPacket read(MySQLPayload payload, int capabilities, Charset charset) {
        String username = payload.readStringNul(charset);
        byte[] authResponse = CLIENT_SECURE_CONNECTION.isSet(capabilities)
                ? payload.readBytesFix(payload.readInt1()) : payload.readBytesNul();
        String schema = payload.isReadable() ? payload.readStringNul(charset) : "";
        int characterSet = payload.readableBytes() >= 2 ? payload.readInt2() : -1;
        String pluginName = CLIENT_PLUGIN_AUTH.isSet(capabilities) && payload.isReadable()
                ? payload.readStringNul(charset) : null;
        return new MySQLComChangeUserPacket(username, authResponse, schema, characterSet, pluginName);
    }

    /**
     * The packet as the handshake response it stands for, so that authentication runs as at connect.
     *
     * @param capabilities         the capabilities negotiated at connect
     * @param currentCharacterSet  the collation id to keep when the packet names none
     */
    public MySQLHandshakeResponse41Packet asHandshakeResponse(int capabilities, int currentCharacterSet) {
        int collation = characterSet > 0 ? characterSet : currentCharacterSet;
        return new MySQLHandshakeResponse41Packet(capabilities | CLIENT_CONNECT_WITH_DB.value(), 0,
                collation, username, authResponse, schema, pluginName, Map.of());
    }
}
