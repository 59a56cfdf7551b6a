package io.shardwire.proxy.protocol.packet.handshake;

import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_CONNECT_ATTRS;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_CONNECT_WITH_DB;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_PLUGIN_AUTH;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_SECURE_CONNECTION;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.MySQLProtocolException;
import io.shardwire.proxy.protocol.constant.MySQLCharacterSet;
import java.nio.charset.Charset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html">
 * Protocol::HandshakeResponse41</a>: the client's answer to the greeting, with its capabilities, user name and
 * authentication response.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * 4            client capability flags
 * 4            max packet size
 * 1            character set (collation id)
 * 23           filler: 0x00
 * n NUL        username
 * n            auth response: string&lt;lenenc&gt; if CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA,
 *              else 1-byte length + bytes if CLIENT_SECURE_CONNECTION, else string&lt;NUL&gt;
 * n NUL        database, if CLIENT_CONNECT_WITH_DB
 * n NUL        client auth plugin name, if CLIENT_PLUGIN_AUTH
 * n lenenc     connection attributes (lenenc key, lenenc value pairs), if CLIENT_CONNECT_ATTRS
 * </pre>
 *
 * <p>Which fields are present follows the capabilities the client sent. Clients in the wild sometimes end the
 * packet before an optional field they announced, or leave the NUL off the last one, so a missing auth response,
 * database, plugin name or attribute block reads as absent, and a final string without NUL runs to the end.
 *
 * <p>An {@code SSLRequest} is the first 32 bytes of this packet with {@code CLIENT_SSL} set; {@link #read} rejects
 * it because the user name is missing.
 *
 * <p>Text fields are decoded with the charset of the client's {@code characterSet}.
 */
public final class MySQLHandshakeResponse41Packet implements MySQLPacket {

    private static final int FILLER_LENGTH = 23;

    private final int capabilities;
    private final int maxPacketSize;
    private final int characterSet;
    private final String username;
    private final byte[] authResponse;
    private final String database;
    private final String authPluginName;
    private final Map<String, String> connectAttributes;

    /**
     * @param capabilities the client's capability mask, which decides the fields written
     * @param maxPacketSize the largest packet the client will accept
     * @param characterSet the client's collation id
     * @param username user name
     * @param authResponse the plugin's response to the scramble; copied
     * @param database initial schema, or null for none
     * @param authPluginName plugin that computed {@code authResponse}, or null for none
     * @param connectAttributes connection attributes, in order; copied
     */
    public MySQLHandshakeResponse41Packet(int capabilities, int maxPacketSize, int characterSet, String username,
            byte[] authResponse, String database, String authPluginName, Map<String, String> connectAttributes) {
        this.capabilities = capabilities;
        this.maxPacketSize = maxPacketSize;
        this.characterSet = characterSet;
        this.username = Objects.requireNonNull(username, "username");
        this.authResponse = authResponse.clone();
        this.database = database;
        this.authPluginName = authPluginName;
        this.connectAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(connectAttributes));
    }

    /**
     * Reads a handshake response.
     *
     * @throws MySQLProtocolException if the fixed part or the user name is missing (as in an {@code SSLRequest}),
     *     or a field present is malformed
     */
    public static MySQLHandshakeResponse41Packet read(MySQLPayload payload) {
        int capabilities = payload.readInt4();
        int maxPacketSize = payload.readInt4();
        int characterSet = payload.readInt1();
        payload.skipReserved(FILLER_LENGTH);
        Charset charset = MySQLCharacterSet.javaCharset(characterSet);
        String username = payload.readStringNul(charset);
        byte[] authResponse = payload.isReadable() ? readAuthResponse(payload, capabilities) : new byte[0];
        String database = CLIENT_CONNECT_WITH_DB.isSet(capabilities) && payload.isReadable()
                ? readStringNulOrEOF(payload, charset) : null;
        String authPluginName = CLIENT_PLUGIN_AUTH.isSet(capabilities) && payload.isReadable()
                ? readStringNulOrEOF(payload, charset) : null;
        Map<String, String> connectAttributes = CLIENT_CONNECT_ATTRS.isSet(capabilities) && payload.isReadable()
                ? readConnectAttributes(payload, charset) : Map.of();
        return new MySQLHandshakeResponse41Packet(capabilities, maxPacketSize, characterSet, username, authResponse,
                database, authPluginName, connectAttributes);
    }

    private static byte[] readAuthResponse(MySQLPayload payload, int capabilities) {
        if (CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA.isSet(capabilities)) {
            return payload.readBytesLenenc();
        }
        if (CLIENT_SECURE_CONNECTION.isSet(capabilities)) {
            return payload.readBytesFix(payload.readInt1());
        }
        return payload.readBytesNul();
    }

    private static String readStringNulOrEOF(MySQLPayload payload, Charset charset) {
        return payload.byteBuf().bytesBefore((byte) 0) >= 0 ? payload.readStringNul(charset)
                : payload.readStringEOF(charset);
    }

    private static Map<String, String> readConnectAttributes(MySQLPayload payload, Charset charset) {
        long length = payload.readIntLenenc();
        if (length < 0 || length > payload.readableBytes()) {
            throw new MySQLProtocolException("connection attributes length: " + Long.toUnsignedString(length)
                    + " (expected: <= " + payload.readableBytes() + ")");
        }
        MySQLPayload attributes = new MySQLPayload(payload.byteBuf().readSlice((int) length));
        Map<String, String> result = new LinkedHashMap<>();
        while (attributes.isReadable()) {
            String key = attributes.readStringLenenc(charset);
            result.put(key, attributes.readStringLenenc(charset));
        }
        return result;
    }

    @Override
    public void write(MySQLPayload payload) {
        Charset charset = MySQLCharacterSet.javaCharset(characterSet);
        payload.writeInt4(capabilities);
        payload.writeInt4(maxPacketSize);
        payload.writeInt1(characterSet);
        payload.writeReserved(FILLER_LENGTH);
        payload.writeStringNul(username, charset);
        if (CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA.isSet(capabilities)) {
            payload.writeBytesLenenc(authResponse);
        } else if (CLIENT_SECURE_CONNECTION.isSet(capabilities)) {
            payload.writeInt1(authResponse.length);
            payload.writeBytes(authResponse);
        } else {
            payload.writeBytesNul(authResponse);
        }
        if (CLIENT_CONNECT_WITH_DB.isSet(capabilities)) {
            payload.writeStringNul(database == null ? "" : database, charset);
        }
        if (CLIENT_PLUGIN_AUTH.isSet(capabilities)) {
            payload.writeStringNul(authPluginName == null ? "" : authPluginName, charset);
        }
        if (CLIENT_CONNECT_ATTRS.isSet(capabilities)) {
            payload.writeBytesLenenc(encodeConnectAttributes(charset));
        }
    }

    private byte[] encodeConnectAttributes(Charset charset) {
        ByteBuf buffer = Unpooled.buffer();
        MySQLPayload attributes = new MySQLPayload(buffer);
        connectAttributes.forEach((key, value) -> {
            attributes.writeStringLenenc(key, charset);
            attributes.writeStringLenenc(value, charset);
        });
        return ByteBufUtil.getBytes(buffer);
    }

    /** The client's capability mask, as sent (not yet ANDed with the server's). */
    public int capabilities() {
        return capabilities;
    }

    /** The largest packet the client will accept. */
    public int maxPacketSize() {
        return maxPacketSize;
    }

    /** The client's collation id. */
    public int characterSet() {
        return characterSet;
    }

    /** User name. */
    public String username() {
        return username;
    }

    /** A copy of the auth response; empty when the client sent none. */
    public byte[] authResponse() {
        return authResponse.clone();
    }

    /** Initial schema, if the client sent one. An empty name counts as none. */
    public Optional<String> database() {
        return Optional.ofNullable(database).filter(name -> !name.isEmpty());
    }

    /** Plugin that computed the auth response, if the client named one. */
    public Optional<String> authPluginName() {
        return Optional.ofNullable(authPluginName).filter(name -> !name.isEmpty());
    }

    /** Connection attributes in the order sent; empty when the client sent none. */
    public Map<String, String> connectAttributes() {
        return connectAttributes;
    }
}
