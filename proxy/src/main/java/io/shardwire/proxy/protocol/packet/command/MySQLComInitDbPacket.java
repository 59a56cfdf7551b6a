package io.shardwire.proxy.protocol.packet.command;

import io.shardwire.proxy.protocol.MySQLPayload;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_init_db.html">COM_INIT_DB</a>:
 * change the default schema, as {@code USE schema} does.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * 1            command: 0x02
 * n EOF        schema name
 * </pre>
 *
 * @param schema the schema name
 */
public record MySQLComInitDbPacket(String schema) {

    public MySQLComInitDbPacket {
        Objects.requireNonNull(schema, "schema");
    }

    /**
     * Reads the body of a COM_INIT_DB, after the command byte: the dispatcher has consumed that byte to choose this
     * packet.
     *
     * @param charset the connection's charset, from the client's collation id
     */
    public static MySQLComInitDbPacket read(MySQLPayload payload, Charset charset) {
        return new MySQLComInitDbPacket(payload.readStringEOF(charset));
    }
}
