package io.shardwire.proxy.protocol.packet.handshake;

import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.MySQLProtocolException;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_more_data.html">
 * Protocol::AuthMoreData</a>: plugin-specific data sent by the server during authentication, e.g. the
 * {@code caching_sha2_password} fast-auth result byte or the server's RSA public key.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * 1            header: 0x01
 * n EOF        plugin data
 * </pre>
 */
public final class MySQLAuthMoreDataPacket implements MySQLPacket {

    /** Header of an AuthMoreData packet. */
    public static final int HEADER = 0x01;

    private final byte[] authMethodData;

    /**
     * @param authMethodData plugin data; copied
     */
    public MySQLAuthMoreDataPacket(byte[] authMethodData) {
        this.authMethodData = authMethodData.clone();
    }

    /**
     * Reads an AuthMoreData packet, as a client does.
     *
     * @throws MySQLProtocolException if the header is not 0x01
     */
    public static MySQLAuthMoreDataPacket read(MySQLPayload payload) {
        int header = payload.readInt1();
        if (header != HEADER) {
            throw new MySQLProtocolException(String.format("AuthMoreData header: 0x%02x (expected: 0x01)", header));
        }
        return new MySQLAuthMoreDataPacket(payload.readBytesEOF());
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(HEADER);
        payload.writeBytes(authMethodData);
    }

    /** A copy of the plugin data. */
    public byte[] authMethodData() {
        return authMethodData.clone();
    }
}
