package io.shardwire.proxy.protocol.packet.command;

import io.shardwire.proxy.protocol.MySQLPayload;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html">COM_STMT_EXECUTE</a>,
 * header part. The parameter block that follows can only be read knowing the statement's parameter count and the
 * types bound by an earlier execute, so it is left in the payload for {@link MySQLBinaryParameterReader}.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * 1            command: 0x17
 * 4            statement_id
 * 1            flags (cursor type)
 * 4            iteration_count: always 1
 * n            parameter block: NULL bitmap, new_params_bind_flag, types, values (when num_params &gt; 0)
 * </pre>
 *
 * @param statementId the prepared statement
 * @param flags       cursor flags: 0x00 CURSOR_TYPE_NO_CURSOR, 0x01 READ_ONLY, 0x02 FOR_UPDATE, 0x04 SCROLLABLE
 */
public record MySQLComStmtExecutePacket(long statementId, int flags) {

    /** Reads the header after the command byte; the payload is then positioned at the parameter block. */
    public static MySQLComStmtExecutePacket read(MySQLPayload payload) {
        long statementId = Integer.toUnsignedLong(payload.readInt4());
        int flags = payload.readInt1();
        payload.readInt4();
        return new MySQLComStmtExecutePacket(statementId, flags);
    }

    /** Whether the client asked for a cursor (which the proxy declines by returning the rows at once). */
    public boolean wantsCursor() {
        return (flags & 0x07) != 0;
    }
}
