package io.shardwire.proxy.frontend;

import com.mysql.cj.result.Field;
import io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag;
import io.shardwire.proxy.protocol.constant.MySQLCharacterSet;
import io.shardwire.proxy.protocol.constant.MySQLColumnFlag;
import io.shardwire.proxy.protocol.constant.MySQLColumnType;
import io.shardwire.proxy.protocol.packet.generic.MySQLEofPacket;
import io.shardwire.proxy.protocol.packet.generic.MySQLErrPacket;
import io.shardwire.proxy.protocol.packet.generic.MySQLOKPacket;
import io.shardwire.proxy.protocol.packet.resultset.MySQLColumnCountPacket;
import io.shardwire.proxy.protocol.packet.resultset.MySQLColumnDefinition41Packet;
import io.shardwire.proxy.protocol.packet.resultset.MySQLTextResultSetRowPacket;
import io.shardwire.proxy.session.ClientGoneException;
import io.shardwire.proxy.session.Responder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Encodes a session's results as MySQL text-protocol packets. Column definitions are the backend's
 * own (type, flags, collation, length and decimals from Connector/J's field metadata) and row values
 * are the bytes the backend sent, so clients see exactly what the server would have shown them.
 *
 * <p>Not thread-safe: used by the worker running the session's current command.
 */
final class PacketResponder implements Responder {

    private final PacketChannel out;
    private final boolean deprecateEof;

    PacketResponder(PacketChannel out, int clientCapabilities) {
        this.out = out;
        this.deprecateEof = MySQLCapabilityFlag.CLIENT_DEPRECATE_EOF.isSet(clientCapabilities);
    }

    @Override
    public void ok(long affectedRows, long lastInsertId, int statusFlags) throws ClientGoneException {
        out.writeAndFlush(new MySQLOKPacket(affectedRows, lastInsertId, statusFlags, 0, ""));
    }

    @Override
    public void error(int errorCode, String sqlState, String message) throws ClientGoneException {
        out.writeAndFlush(new MySQLErrPacket(errorCode, sqlState, message));
    }

    @Override
    public void rows(ResultSet resultSet, StatusFlags statusAtEnd) throws ClientGoneException, SQLException {
        Field[] fields = resultSet.getMetaData().unwrap(com.mysql.cj.jdbc.result.ResultSetMetaData.class).getFields();
        out.write(new MySQLColumnCountPacket(fields.length));
        for (Field field : fields) {
            out.write(ColumnDefinitions.of(field));
        }
        int statusBeforeRows = statusAtEnd.get();
        if (!deprecateEof) {
            out.write(new MySQLEofPacket(0, statusBeforeRows));
        }
        while (resultSet.next()) {
            // A fresh array per row: the packet is encoded later, on the event loop.
            byte[][] values = new byte[fields.length][];
            for (int i = 0; i < values.length; i++) {
                values[i] = resultSet.getBytes(i + 1);
            }
            out.write(new MySQLTextResultSetRowPacket(values));
        }
        end(statusAtEnd.get());
    }

    @Override
    public void rows(String columnName, Iterable<String> values, int statusFlags) throws ClientGoneException {
        out.write(new MySQLColumnCountPacket(1));
        out.write(new MySQLColumnDefinition41Packet("", "", "", columnName, columnName,
                MySQLCharacterSet.UTF8MB4_GENERAL_CI, 256 * 4, MySQLColumnType.VAR_STRING,
                MySQLColumnFlag.NOT_NULL.value(), 0));
        if (!deprecateEof) {
            out.write(new MySQLEofPacket(0, statusFlags));
        }
        for (String value : values) {
            out.write(new MySQLTextResultSetRowPacket(new byte[][] {value.getBytes(StandardCharsets.UTF_8)}));
        }
        end(statusFlags);
    }

    private void end(int statusFlags) throws ClientGoneException {
        out.writeAndFlush(deprecateEof
                ? MySQLOKPacket.endOfResultSet(0, statusFlags)
                : new MySQLEofPacket(0, statusFlags));
    }
}
