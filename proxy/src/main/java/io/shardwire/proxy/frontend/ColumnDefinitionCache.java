package io.shardwire.proxy.frontend;

import com.mysql.cj.result.Field;
import io.shardwire.proxy.protocol.packet.resultset.MySQLColumnDefinition41Packet;
import io.shardwire.router.rule.LogicalNames;
import java.util.Objects;

/**
 * The column definition packets of a connection's last backend result, reused while the next
 * result describes the same columns. Connector/J reads new {@link Field}s for every execute of a
 * prepared statement, so a client repeating one statement (sysbench's point select) would
 * otherwise get its definitions rebuilt, and its names mapped back to logical ones, every time.
 *
 * <p>Not thread-safe: one per connection, used by the worker running its current command.
 */
public final class ColumnDefinitionCache {

    private final LogicalNames names;
    private Field[] fields = new Field[0];
    private MySQLColumnDefinition41Packet[] packets = new MySQLColumnDefinition41Packet[0];

    /** @param names the logical names of the physical databases and tables the backend's metadata names */
    public ColumnDefinitionCache(LogicalNames names) {
        this.names = names;
    }

    /** The packets describing these fields: the last ones when every field equals its predecessor. */
    public MySQLColumnDefinition41Packet[] of(Field[] current) {
        if (!sameAsLast(current)) {
            MySQLColumnDefinition41Packet[] built = new MySQLColumnDefinition41Packet[current.length];
            for (int i = 0; i < current.length; i++) {
                built[i] = ColumnDefinitions.of(current[i], names);
            }
            fields = current;
            packets = built;
        }
        return packets;
    }

    private boolean sameAsLast(Field[] current) {
        if (current.length != fields.length) {
            return false;
        }
        for (int i = 0; i < current.length; i++) {
            if (!describeAlike(fields[i], current[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether the two fields agree on everything {@code ColumnDefinitions.of} reads. */
    private static boolean describeAlike(Field a, Field b) {
        return a.getMysqlTypeId() == b.getMysqlTypeId() && a.getMysqlType() == b.getMysqlType()
                && a.getFlags() == b.getFlags() && a.getLength() == b.getLength()
                && a.getDecimals() == b.getDecimals() && a.getCollationIndex() == b.getCollationIndex()
                && Objects.equals(a.getColumnLabel(), b.getColumnLabel())
                && Objects.equals(a.getOriginalName(), b.getOriginalName())
                && Objects.equals(a.getTableName(), b.getTableName())
                && Objects.equals(a.getOriginalTableName(), b.getOriginalTableName())
                && Objects.equals(a.getDatabaseName(), b.getDatabaseName());
    }
}
