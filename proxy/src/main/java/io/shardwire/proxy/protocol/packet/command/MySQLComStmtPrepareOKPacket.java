package io.shardwire.proxy.protocol.packet.command;

import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPayload;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html#sect_protocol_com_stmt_prepare_response_ok">
 * COM_STMT_PREPARE_OK</a>: the first packet of a successful prepare. Parameter definitions and column definitions
 * follow it, each group ended by an EOF unless CLIENT_DEPRECATE_EOF.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * 1            status: 0x00
 * 4            statement_id
 * 2            num_columns
 * 2            num_params
 * 1            reserved: 0x00
 * 2            warning_count
 * </pre>
 *
 * @param statementId  the id the client uses in later commands
 * @param columnCount  columns of the result set, 0 if none
 * @param paramCount   placeholders in the statement
 * @param warnings     warnings of the prepare
 */
public record MySQLComStmtPrepareOKPacket(long statementId, int columnCount, int paramCount, int warnings)
        implements MySQLPacket {

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(0x00);
        payload.writeInt4((int) statementId);
        payload.writeInt2(columnCount);
        payload.writeInt2(paramCount);
        payload.writeReserved(1);
        payload.writeInt2(warnings);
    }
}
