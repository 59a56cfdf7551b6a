package io.shardwire.proxy.protocol.packet.command;

import io.shardwire.proxy.protocol.MySQLPayload;

/**
 * The commands that name a prepared statement and little else:
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_close.html">COM_STMT_CLOSE</a>,
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_reset.html">COM_STMT_RESET</a> and
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_fetch.html">COM_STMT_FETCH</a>
 * (whose row count that follows is read by the caller when needed).
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * 1            command: 0x19 | 0x1a | 0x1c
 * 4            statement_id
 * </pre>
 *
 * @param statementId the prepared statement
 */
public record MySQLComStmtIdPacket(long statementId) {

    /** Reads the statement id after the command byte. */
    public static MySQLComStmtIdPacket read(MySQLPayload payload) {
        return new MySQLComStmtIdPacket(Integer.toUnsignedLong(payload.readInt4()));
    }
}
