package io.shardwire.proxy.protocol.packet.command;

import io.shardwire.proxy.protocol.MySQLPayload;
import java.nio.charset.Charset;
import java.util.Optional;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query.html">COM_QUERY</a>: a text
 * statement to execute.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * 1            command: 0x03
 * n EOF        statement text, in the connection's charset
 * </pre>
 *
 * <p>The parameter block that {@code CLIENT_QUERY_ATTRIBUTES} adds is never present, since Shardwire does not offer
 * that capability. The statement is kept as the bytes sent: string literals may hold bytes that are no text in the connection's
 * charset, which {@link #text(Charset)} preserves.
 *
 * @param sql the statement's bytes
 */
public record MySQLComQueryPacket(byte[] sql) {

    /** Reads the body after the command byte: the dispatcher has consumed that byte to choose this packet. */
    public static MySQLComQueryPacket read(MySQLPayload payload) {
        return new MySQLComQueryPacket(payload.readBytesEOF());
    }

    /**
     * The statement as text that encodes back to the same bytes (see {@link QueryText}), or empty if bytes invalid in
     * {@code charset} stand outside string literals.
     */
    public Optional<String> text(Charset charset) {
        return QueryText.decode(sql, charset);
    }
}
