package io.shardwire.proxy.protocol.packet.command;

import io.shardwire.proxy.protocol.MySQLPayload;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_send_long_data.html">
 * COM_STMT_SEND_LONG_DATA</a>: a piece of a parameter's value, sent before COM_STMT_EXECUTE. The server sends no
 * response.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * 1            command: 0x18
 * 4            statement_id
 * 2            param_id
 * n EOF        data
 * </pre>
 *
 * @param statementId the prepared statement
 * @param parameter   the 0-based parameter index
 * @param data        this piece of the value
 */
public record MySQLComStmtSendLongDataPacket(long statementId, int parameter, byte[] data) {

    /** Reads the body after the command byte. */
    public static MySQLComStmtSendLongDataPacket read(MySQLPayload payload) {
        long statementId = Integer.toUnsignedLong(payload.readInt4());
        int parameter = payload.readInt2();
        return new MySQLComStmtSendLongDataPacket(statementId, parameter, payload.readBytesEOF());
    }
}
