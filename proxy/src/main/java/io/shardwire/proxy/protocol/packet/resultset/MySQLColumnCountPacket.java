package io.shardwire.proxy.protocol.packet.resultset;

import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.MySQLProtocolException;

/**
 * The column count that opens a
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset.html">
 * text result set</a>: a single {@code int<lenenc>}. The {@code metadata_follows} byte that
 * {@code CLIENT_OPTIONAL_RESULTSET_METADATA} adds is never written, since Shardwire does not offer that capability.
 *
 * @param columnCount number of column definitions that follow, at least 1
 */
public record MySQLColumnCountPacket(int columnCount) implements MySQLPacket {

    public MySQLColumnCountPacket {
        if (columnCount < 1) {
            throw new IllegalArgumentException("columnCount: " + columnCount + " (expected: >= 1)");
        }
    }

    /**
     * Reads a column count, as a client does.
     *
     * @throws MySQLProtocolException if the count is not a positive int
     */
    public static MySQLColumnCountPacket read(MySQLPayload payload) {
        long columnCount = payload.readIntLenenc();
        if (columnCount < 1 || columnCount > Integer.MAX_VALUE) {
            throw new MySQLProtocolException("column count: " + Long.toUnsignedString(columnCount)
                    + " (expected: 1.." + Integer.MAX_VALUE + ")");
        }
        return new MySQLColumnCountPacket((int) columnCount);
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeIntLenenc(columnCount);
    }
}
