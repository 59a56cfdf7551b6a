package io.shardwire.proxy.protocol.packet.command;

import io.shardwire.proxy.protocol.MySQLPayload;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html">COM_STMT_PREPARE</a>:
 * a statement with {@code ?} placeholders to prepare.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * 1            command: 0x16
 * n EOF        query text
 * </pre>
 *
 * @param sql the statement text
 */
public record MySQLComStmtPreparePacket(String sql) {

    public MySQLComStmtPreparePacket {
        Objects.requireNonNull(sql, "sql");
    }

    /** Reads the body after the command byte, in the connection's charset. */
    public static MySQLComStmtPreparePacket read(MySQLPayload payload, Charset charset) {
        return new MySQLComStmtPreparePacket(payload.readStringEOF(charset));
    }
}
