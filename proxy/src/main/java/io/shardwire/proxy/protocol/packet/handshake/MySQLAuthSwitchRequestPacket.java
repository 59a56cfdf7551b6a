package io.shardwire.proxy.protocol.packet.handshake;

import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.MySQLProtocolException;
import java.util.Arrays;
import java.util.Objects;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_switch_request.html">
 * Protocol::AuthSwitchRequest</a>: asks the client to authenticate again with another plugin and fresh plugin data.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * 1            header: 0xFE
 * n NUL        plugin name
 * n EOF        auth plugin data
 * </pre>
 *
 * <p>Like MySQL's own server, {@link #write} ends the plugin data with a NUL (the scramble is 20 bytes, sent as 21),
 * because connectors read it as a NUL-terminated string; {@link #read} drops that NUL again.
 */
public final class MySQLAuthSwitchRequestPacket implements MySQLPacket {

    /** Header of an AuthSwitchRequest. */
    public static final int HEADER = 0xFE;

    private final String authPluginName;
    private final byte[] authPluginData;

    /**
     * @param authPluginName plugin the client should switch to
     * @param authPluginData the new scramble, without trailing NUL; copied
     */
    public MySQLAuthSwitchRequestPacket(String authPluginName, byte[] authPluginData) {
        this.authPluginName = Objects.requireNonNull(authPluginName, "authPluginName");
        this.authPluginData = authPluginData.clone();
    }

    /**
     * Reads an AuthSwitchRequest, as a client does.
     *
     * @throws MySQLProtocolException if the header is not 0xFE, or the plugin name is not terminated
     */
    public static MySQLAuthSwitchRequestPacket read(MySQLPayload payload) {
        int header = payload.readInt1();
        if (header != HEADER) {
            throw new MySQLProtocolException(
                    String.format("AuthSwitchRequest header: 0x%02x (expected: 0xfe)", header));
        }
        String authPluginName = payload.readStringNul();
        byte[] data = payload.readBytesEOF();
        if (data.length > 0 && data[data.length - 1] == 0) {
            data = Arrays.copyOf(data, data.length - 1);
        }
        return new MySQLAuthSwitchRequestPacket(authPluginName, data);
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(HEADER);
        payload.writeStringNul(authPluginName);
        payload.writeBytesNul(authPluginData);
    }

    /** Plugin the client should switch to. */
    public String authPluginName() {
        return authPluginName;
    }

    /** A copy of the new scramble, without trailing NUL. */
    public byte[] authPluginData() {
        return authPluginData.clone();
    }
}
