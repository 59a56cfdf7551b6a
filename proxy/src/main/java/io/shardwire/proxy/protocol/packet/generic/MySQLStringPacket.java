package io.shardwire.proxy.protocol.packet.generic;

import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPayload;
import java.util.Objects;

/**
 * A packet that is just text, with no header byte: the response to
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_statistics.html">COM_STATISTICS</a>.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * n EOF        text
 * </pre>
 *
 * @param text the text, sent as UTF-8
 */
public record MySQLStringPacket(String text) implements MySQLPacket {

    public MySQLStringPacket {
        Objects.requireNonNull(text, "text");
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeStringEOF(text);
    }
}
