package io.shardwire.proxy.protocol.packet.generic;

import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.MySQLProtocolException;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_eof_packet.html">EOF_Packet</a>:
 * ends the column definitions and the rows of a result set for clients without {@code CLIENT_DEPRECATE_EOF}. With
 * that capability, {@link MySQLOKPacket#endOfResultSet} replaces it after the rows and nothing follows the columns.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * 1            header: 0xFE
 * 2            warnings
 * 2            status flags ({@code MySQLStatusFlag})
 * </pre>
 *
 * @param warnings number of warnings
 * @param statusFlags {@code SERVER_STATUS_*} mask
 */
public record MySQLEofPacket(int warnings, int statusFlags) implements MySQLPacket {

    /** Header of an EOF packet. */
    public static final int HEADER = 0xFE;

    /**
     * Reads an EOF packet.
     *
     * @throws MySQLProtocolException if the header is not 0xFE, or the payload is cut short
     */
    public static MySQLEofPacket read(MySQLPayload payload) {
        int header = payload.readInt1();
        if (header != HEADER) {
            throw new MySQLProtocolException(String.format("EOF header: 0x%02x (expected: 0xfe)", header));
        }
        int warnings = payload.readInt2();
        return new MySQLEofPacket(warnings, payload.readInt2());
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(HEADER);
        payload.writeInt2(warnings);
        payload.writeInt2(statusFlags);
    }
}
