package io.shardwire.proxy.protocol.packet.resultset;

import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.MySQLProtocolException;
import io.shardwire.proxy.protocol.constant.MySQLColumnType;
import java.util.Objects;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_column_definition.html">
 * Protocol::ColumnDefinition41</a>: describes one column of a result set.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * n lenenc     catalog: always "def"
 * n lenenc     schema
 * n lenenc     table (alias)
 * n lenenc     org_table (physical table)
 * n lenenc     name (alias)
 * n lenenc     org_name (physical column)
 * 1 lenenc     length of the fixed fields: 0x0c
 * 2            character set (collation id)
 * 4            column length
 * 1            type ({@code MySQLColumnType})
 * 2            flags ({@code MySQLColumnFlag})
 * 1            decimals
 * 2            filler: 0x00 0x00
 * </pre>
 *
 * <p>Names are written as UTF-8, the metadata charset of every {@code utf8mb4} connection. The type is kept as the
 * raw byte so that metadata relayed from a backend passes through unchanged, including types newer than
 * {@link MySQLColumnType}. The default values that follow for COM_FIELD_LIST are not supported.
 *
 * @param schema schema name
 * @param table table alias, or the table name
 * @param orgTable physical table name
 * @param name column alias, or the column name
 * @param orgName physical column name
 * @param characterSet collation id of the column, 63 (binary) for non-text columns
 * @param columnLength maximum display length, unsigned 32 bits
 * @param type column type byte, a {@link MySQLColumnType#value()} for the types Shardwire knows
 * @param flags {@code MySQLColumnFlag} mask
 * @param decimals shown decimal places: 0x00 for integers and static strings, 0x1f for dynamic strings, double and
 *     float, 0x00..0x51 for decimals
 */
public record MySQLColumnDefinition41Packet(String schema, String table, String orgTable, String name,
        String orgName, int characterSet, long columnLength, int type, int flags, int decimals)
        implements MySQLPacket {

    /** The catalog is always "def". */
    public static final String CATALOG = "def";

    /** Length of the fixed-length fields, from the character set to the filler. */
    private static final int FIXED_FIELDS_LENGTH = 0x0c;

    public MySQLColumnDefinition41Packet {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(orgTable, "orgTable");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(orgName, "orgName");
        if (type < 0 || type > 0xFF) {
            throw new IllegalArgumentException("type: " + type + " (expected: 0..255)");
        }
        if (columnLength < 0 || columnLength > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("columnLength: " + columnLength + " (expected: 0..4294967295)");
        }
    }

    /** A column of a type Shardwire knows. */
    public MySQLColumnDefinition41Packet(String schema, String table, String orgTable, String name, String orgName,
            int characterSet, long columnLength, MySQLColumnType type, int flags, int decimals) {
        this(schema, table, orgTable, name, orgName, characterSet, columnLength, type.value(), flags, decimals);
    }

    /**
     * Reads a column definition, as a client does.
     *
     * @throws MySQLProtocolException if the payload is cut short
     */
    public static MySQLColumnDefinition41Packet read(MySQLPayload payload) {
        payload.readStringLenenc();
        String schema = payload.readStringLenenc();
        String table = payload.readStringLenenc();
        String orgTable = payload.readStringLenenc();
        String name = payload.readStringLenenc();
        String orgName = payload.readStringLenenc();
        payload.readIntLenenc();
        int characterSet = payload.readInt2();
        long columnLength = Integer.toUnsignedLong(payload.readInt4());
        int type = payload.readInt1();
        int flags = payload.readInt2();
        int decimals = payload.readInt1();
        payload.skipReserved(2);
        return new MySQLColumnDefinition41Packet(schema, table, orgTable, name, orgName, characterSet, columnLength,
                type, flags, decimals);
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeStringLenenc(CATALOG);
        payload.writeStringLenenc(schema);
        payload.writeStringLenenc(table);
        payload.writeStringLenenc(orgTable);
        payload.writeStringLenenc(name);
        payload.writeStringLenenc(orgName);
        payload.writeIntLenenc(FIXED_FIELDS_LENGTH);
        payload.writeInt2(characterSet);
        payload.writeInt4((int) columnLength);
        payload.writeInt1(type);
        payload.writeInt2(flags);
        payload.writeInt1(decimals);
        payload.writeReserved(2);
    }
}
