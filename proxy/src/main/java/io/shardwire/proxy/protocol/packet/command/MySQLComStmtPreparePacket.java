package io.shardwire.proxy.protocol.packet.command;

import io.shardwire.proxy.protocol.MySQLPayload;
import java.nio.charset.Charset;
import java.util.Optional;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html">COM_STMT_PREPARE</a>:
 * a statement with {@code ?} placeholders to prepare.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * 1            command: 0x16
 * n EOF        statement text, in the connection's charset
 * </pre>
 *
 * <p>The statement is kept as the bytes sent: string literals may hold bytes that are no text in the connection's
 * charset, which {@link #text(Charset)} preserves.
 *
 * @param sql the statement's bytes
 */
public record MySQLComStmtPreparePacket(byte[] sql) {

    /** Reads the body after the command byte: the dispatcher has consumed that byte to choose this packet. */
    public static MySQLComStmtPreparePacket read(MySQLPayload payload) {
        return new MySQLComStmtPreparePacket(payload.readBytesEOF());
    }

    /**
     * The statement as text that encodes back to the same bytes (see {@link QueryText}), or empty if bytes invalid in
     * {@code charset} stand outside string literals.
     */
    public Optional<String> text(Charset charset) {
        return QueryText.decode(sql, charset);
    }
}
