package io.shardwire.proxy.protocol.packet.resultset;

import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPayload;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_row.html">
 * ProtocolText::ResultsetRow</a>: one row of a text result set, each value a {@code string<lenenc>} or 0xFB for
 * NULL.
 *
 * <p>Values are the text form of each column, already encoded in the connection's charset. The outer array is
 * copied but the value arrays are not: rows are written once, right after they are built, and copying every value
 * would double the cost of relaying large result sets. Callers hand the arrays over and must not modify them
 * afterwards.
 */
public final class MySQLTextResultSetRowPacket implements MySQLPacket {

    /** Stands for a NULL value in place of a length. */
    public static final int NULL = 0xFB;

    private final byte[][] values;

    /**
     * @param values one entry per column, in column order; a null entry is SQL NULL
     */
    public MySQLTextResultSetRowPacket(byte[]... values) {
        this.values = values.clone();
    }

    @Override
    public void write(MySQLPayload payload) {
        for (byte[] value : values) {
            if (value == null) {
                payload.writeInt1(NULL);
            } else {
                payload.writeBytesLenenc(value);
            }
        }
    }

    /** The values, in column order; null entries are SQL NULL. */
    public List<byte[]> values() {
        return Collections.unmodifiableList(Arrays.asList(values));
    }
}
