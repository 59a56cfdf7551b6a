package io.shardwire.proxy.protocol.binary;

import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.constant.MySQLColumnType;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html#sect_protocol_binary_resultset_row">
 * ProtocolBinary::ResultsetRow</a>: one row of a prepared statement's result.
 *
 * <pre>
 * Bytes                 Name
 * -----                 ----
 * 1                     packet header: 0x00
 * (column_count+9)/8    NULL bitmap, bit offset 2
 * n                     each non-NULL value in its binary form
 * </pre>
 *
 * <p>Values are the binary forms without their length prefix, exactly as a backend sent them (Connector/J hands
 * them over unchanged): fixed-size numbers as they are, temporal values after a 1-byte length, everything else after
 * a length-encoded length. Arrays are handed over, not copied.
 */
public final class MySQLBinaryResultSetRowPacket implements MySQLPacket {

    private static final int NULL_BITMAP_OFFSET = 2;

    private final int[] columnTypes;
    private final byte[][] values;

    /**
     * @param columnTypes the columns' type bytes, shared by every row of the result
     * @param values      one entry per column; null is SQL NULL
     */
    public MySQLBinaryResultSetRowPacket(int[] columnTypes, byte[][] values) {
        if (columnTypes.length != values.length) {
            throw new IllegalArgumentException("values: " + values.length + " (expected: " + columnTypes.length + ")");
        }
        this.columnTypes = columnTypes;
        this.values = values;
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(0x00);
        byte[] nullBitmap = new byte[(values.length + 7 + NULL_BITMAP_OFFSET) / 8];
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                int bit = i + NULL_BITMAP_OFFSET;
                nullBitmap[bit / 8] |= (byte) (1 << (bit % 8));
            }
        }
        payload.writeBytes(nullBitmap);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                writeValue(payload, columnTypes[i], values[i]);
            }
        }
    }

    private static void writeValue(MySQLPayload payload, int type, byte[] value) {
        switch (MySQLColumnType.of(type).orElse(MySQLColumnType.BLOB)) {
            case TINY, SHORT, YEAR, INT24, LONG, LONGLONG, FLOAT, DOUBLE -> payload.writeBytes(value);
            case DATE, DATETIME, TIMESTAMP, TIME -> {
                payload.writeInt1(value.length);
                payload.writeBytes(value);
            }
            default -> payload.writeBytesLenenc(value);
        }
    }
}
