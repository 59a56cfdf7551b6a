package io.shardwire.proxy.frontend;

import com.mysql.cj.MysqlType;
import com.mysql.cj.result.Field;
import io.shardwire.proxy.protocol.packet.resultset.MySQLColumnDefinition41Packet;
import io.shardwire.router.rule.LogicalNames;
import java.util.Objects;

/**
 * Rebuilds the backend's column definition packet from Connector/J's {@link Field}.
 *
 * <p>Connector/J keeps flags, type and collation as sent but rewrites two things while reading
 * them (ColumnDefinitionReader): a DECIMAL's length loses the places for its sign and decimal
 * point, and a FLOAT/DOUBLE's "not fixed" decimals (0x1f) become 0. Both are undone here, so a
 * client computes the same precision and scale as against the server. Integer display widths
 * are replaced by the type's maximum precision and cannot be recovered; clients derive integer
 * metadata from the type, so only a display width differs.
 *
 * <p>Schema and table names are mapped back to logical ones ({@code shop_1.orders_1} ->
 * {@code shop.orders}), so clients never see the physical names the router rewrote to. A table
 * alias the client gave stays as it is.
 */
final class ColumnDefinitions {

    /** The decimals value MySQL sends for floating-point and dynamic string columns. */
    private static final int NOT_FIXED_DECIMALS = 0x1f;

    private ColumnDefinitions() {
    }

    static MySQLColumnDefinition41Packet of(Field field, LogicalNames names) {
        long length = field.getLength();
        int decimals = field.getDecimals();
        MysqlType type = field.getMysqlType();
        if (type == MysqlType.DECIMAL || type == MysqlType.DECIMAL_UNSIGNED) {
            length += (field.isUnsigned() ? 0 : 1) + (decimals > 0 ? 1 : 0);
        } else if (isFloatingPoint(type) && decimals == 0) {
            decimals = NOT_FIXED_DECIMALS;
        }
        // Computed columns (COUNT(*), @@version) have no schema or table; the protocol sends empty strings.
        return named(Objects.requireNonNullElse(field.getDatabaseName(), ""),
                Objects.requireNonNullElse(field.getTableName(), ""),
                Objects.requireNonNullElse(field.getOriginalTableName(), ""),
                Objects.requireNonNullElse(field.getColumnLabel(), ""),
                Objects.requireNonNullElse(field.getOriginalName(), ""),
                field.getCollationIndex(), length, field.getMysqlTypeId(), field.getFlags() & 0xFFFF, decimals, names);
    }

    /** A backend's own column definition packet with its schema and table names mapped back to logical ones. */
    static MySQLColumnDefinition41Packet of(MySQLColumnDefinition41Packet backend, LogicalNames names) {
        return named(backend.schema(), backend.table(), backend.orgTable(), backend.name(), backend.orgName(),
                backend.characterSet(), backend.columnLength(), backend.type(), backend.flags(), backend.decimals(),
                names);
    }

    private static MySQLColumnDefinition41Packet named(String database, String table, String originalTable,
                                                       String name, String originalName, int collation, long length,
                                                       int type, int flags, int decimals, LogicalNames names) {
        String schema = names.schema(database);
        if (!originalTable.isEmpty()) {
            LogicalNames.Name logical = names.of(database, originalTable);
            schema = logical.schema();
            // The rewrite names physical tables without an alias, so the backend reports the physical name as the
            // table too; any other table name is the client's alias.
            table = table.equals(originalTable) ? logical.table() : table;
            originalTable = logical.table();
        }
        return new MySQLColumnDefinition41Packet(schema, table, originalTable, name, originalName, collation, length,
                type, flags, decimals);
    }

    private static boolean isFloatingPoint(MysqlType type) {
        return type == MysqlType.FLOAT || type == MysqlType.FLOAT_UNSIGNED
                || type == MysqlType.DOUBLE || type == MysqlType.DOUBLE_UNSIGNED;
    }
}
