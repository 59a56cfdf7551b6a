package io.shardwire.proxy.protocol.packet.command;

import io.shardwire.proxy.protocol.MySQLPayload;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query.html">COM_QUERY</a>: a text
 * statement to execute.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * 1            command: 0x03
 * n EOF        query text
 * </pre>
 *
 * <p>The parameter block that {@code CLIENT_QUERY_ATTRIBUTES} adds is never present, since Shardwire does not offer
 * that capability.
 *
 * @param sql the statement text
 */
public record MySQLComQueryPacket(String sql) {

    public MySQLComQueryPacket {
        Objects.requireNonNull(sql, "sql");
    }

    /**
     * Reads the body of a COM_QUERY, after the command byte: the dispatcher has consumed that byte to choose this
     * packet.
     *
     * @param charset the connection's charset, from the client's collation id
     */
    public static MySQLComQueryPacket read(MySQLPayload payload, Charset charset) {
        return new MySQLComQueryPacket(payload.readStringEOF(charset));
    }
}
