package io.shardwire.proxy.protocol.packet.handshake;

import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.MySQLProtocolException;
import io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag;
import java.util.Arrays;
import java.util.Objects;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html">
 * Protocol::HandshakeV10</a>: the greeting the server sends as soon as a client connects.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * 1            protocol version: 10
 * n NUL        server version
 * 4            connection id
 * 8            auth-plugin-data-part-1: scramble bytes 0..7
 * 1            filler: 0x00
 * 2            capability flags, lower 16 bits
 * 1            character set (collation id)
 * 2            status flags
 * 2            capability flags, upper 16 bits
 * 1            auth-plugin-data length: 21 if CLIENT_PLUGIN_AUTH, else 0
 * 10           reserved: 0x00
 * 13           auth-plugin-data-part-2: scramble bytes 8..19 and a NUL
 * n NUL        auth plugin name, if CLIENT_PLUGIN_AUTH
 * </pre>
 */
public final class MySQLHandshakeV10Packet implements MySQLPacket {

    /** The protocol version byte that opens the packet. */
    public static final int PROTOCOL_VERSION = 10;

    /** Length of the scramble (nonce) both built-in password plugins use. */
    public static final int SCRAMBLE_LENGTH = 20;

    private static final int PART_1_LENGTH = 8;
    /** Part 2 is at least 13 bytes: the 12 remaining scramble bytes and a NUL. */
    private static final int MIN_PART_2_LENGTH = 13;
    private static final int RESERVED_LENGTH = 10;

    private final String serverVersion;
    private final int connectionId;
    private final byte[] authPluginData;
    private final int capabilities;
    private final int characterSet;
    private final int statusFlags;
    private final String authPluginName;

    /**
     * @param serverVersion version string shown to clients; connectors parse it to pick features
     * @param connectionId connection (thread) id, unsigned 32 bits
     * @param authPluginData the {@value #SCRAMBLE_LENGTH}-byte scramble; copied
     * @param capabilities the server's {@code MySQLCapabilityFlag} mask
     * @param characterSet default collation id
     * @param statusFlags {@code SERVER_STATUS_*} mask
     * @param authPluginName plugin the scramble is meant for, e.g. "caching_sha2_password"
     */
    public MySQLHandshakeV10Packet(String serverVersion, int connectionId, byte[] authPluginData, int capabilities,
            int characterSet, int statusFlags, String authPluginName) {
        this.serverVersion = Objects.requireNonNull(serverVersion, "serverVersion");
        if (authPluginData.length != SCRAMBLE_LENGTH) {
            throw new IllegalArgumentException(
                    "authPluginData length: " + authPluginData.length + " (expected: " + SCRAMBLE_LENGTH + ")");
        }
        this.connectionId = connectionId;
        this.authPluginData = authPluginData.clone();
        this.capabilities = capabilities;
        this.characterSet = characterSet;
        this.statusFlags = statusFlags;
        this.authPluginName = Objects.requireNonNull(authPluginName, "authPluginName");
    }

    /**
     * Reads a greeting, as a client does.
     *
     * @throws MySQLProtocolException if the protocol version is not 10, the scramble is not 20 bytes, or the payload
     *     is cut short
     */
    public static MySQLHandshakeV10Packet read(MySQLPayload payload) {
        int protocolVersion = payload.readInt1();
        if (protocolVersion != PROTOCOL_VERSION) {
            throw new MySQLProtocolException("protocol version: " + protocolVersion + " (expected: 10)");
        }
        String serverVersion = payload.readStringNul();
        int connectionId = payload.readInt4();
        byte[] part1 = payload.readBytesFix(PART_1_LENGTH);
        payload.skipReserved(1);
        int capabilities = payload.readInt2();
        int characterSet = payload.readInt1();
        int statusFlags = payload.readInt2();
        capabilities |= payload.readInt2() << 16;
        int authPluginDataLength = payload.readInt1();
        payload.skipReserved(RESERVED_LENGTH);
        byte[] part2 = payload.readBytesFix(Math.max(MIN_PART_2_LENGTH, authPluginDataLength - PART_1_LENGTH));
        byte[] authPluginData = Arrays.copyOf(part1, PART_1_LENGTH + part2.length - 1);
        System.arraycopy(part2, 0, authPluginData, PART_1_LENGTH, part2.length - 1);
        if (authPluginData.length != SCRAMBLE_LENGTH) {
            throw new MySQLProtocolException(
                    "auth-plugin-data length: " + authPluginData.length + " (expected: " + SCRAMBLE_LENGTH + ")");
        }
        String authPluginName =
                MySQLCapabilityFlag.CLIENT_PLUGIN_AUTH.isSet(capabilities) ? payload.readStringNul() : "";
        return new MySQLHandshakeV10Packet(serverVersion, connectionId, authPluginData, capabilities, characterSet,
                statusFlags, authPluginName);
    }

    @Override
    public void write(MySQLPayload payload) {
        boolean pluginAuth = MySQLCapabilityFlag.CLIENT_PLUGIN_AUTH.isSet(capabilities);
        payload.writeInt1(PROTOCOL_VERSION);
        payload.writeStringNul(serverVersion);
        payload.writeInt4(connectionId);
        payload.writeBytes(Arrays.copyOf(authPluginData, PART_1_LENGTH));
        payload.writeReserved(1);
        payload.writeInt2(capabilities);
        payload.writeInt1(characterSet);
        payload.writeInt2(statusFlags);
        payload.writeInt2(capabilities >>> 16);
        // The length counts the NUL that ends part 2, as MySQL's own server does.
        payload.writeInt1(pluginAuth ? SCRAMBLE_LENGTH + 1 : 0);
        payload.writeReserved(RESERVED_LENGTH);
        payload.writeBytesNul(Arrays.copyOfRange(authPluginData, PART_1_LENGTH, SCRAMBLE_LENGTH));
        if (pluginAuth) {
            payload.writeStringNul(authPluginName);
        }
    }

    /** Version string shown to clients. */
    public String serverVersion() {
        return serverVersion;
    }

    /** Connection (thread) id, unsigned 32 bits. */
    public int connectionId() {
        return connectionId;
    }

    /** A copy of the 20-byte scramble. */
    public byte[] authPluginData() {
        return authPluginData.clone();
    }

    /** The server's capability mask. */
    public int capabilities() {
        return capabilities;
    }

    /** Default collation id. */
    public int characterSet() {
        return characterSet;
    }

    /** {@code SERVER_STATUS_*} mask. */
    public int statusFlags() {
        return statusFlags;
    }

    /** Plugin the scramble is meant for; empty when the server lacks {@code CLIENT_PLUGIN_AUTH}. */
    public String authPluginName() {
        return authPluginName;
    }
}
