package io.shardwire.proxy.protocol.packet.handshake;

import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPayload;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_switch_response.html">
 * Protocol::AuthSwitchResponse</a>: the client's answer to an AuthSwitchRequest, computed by the requested plugin.
 * The whole payload ({@code string<EOF>}) is the data; it has no header byte.
 */
public final class MySQLAuthSwitchResponsePacket implements MySQLPacket {

    private final byte[] authPluginResponse;

    /**
     * @param authPluginResponse the plugin's response; copied
     */
    public MySQLAuthSwitchResponsePacket(byte[] authPluginResponse) {
        this.authPluginResponse = authPluginResponse.clone();
    }

    /** Reads the response: all remaining bytes. */
    public static MySQLAuthSwitchResponsePacket read(MySQLPayload payload) {
        return new MySQLAuthSwitchResponsePacket(payload.readBytesEOF());
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeBytes(authPluginResponse);
    }

    /** A copy of the plugin's response. */
    public byte[] authPluginResponse() {
        return authPluginResponse.clone();
    }
}
