package io.shardwire.proxy.protocol.packet.generic;

import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.MySQLProtocolException;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import java.util.Objects;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_err_packet.html">ERR_Packet</a>:
 * a command failed.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * 1            header: 0xFF
 * 2            error code
 * 1            SQL state marker: '#'
 * 5            SQL state
 * n EOF        error message
 * </pre>
 *
 * <p>The SQL state marker and state are always written, since Shardwire requires {@code CLIENT_PROTOCOL_41}.
 *
 * @param errorCode MySQL error code, e.g. 1045
 * @param sqlState five-character SQL state, e.g. "28000"
 * @param message human-readable message
 */
public record MySQLErrPacket(int errorCode, String sqlState, String message) implements MySQLPacket {

    /** Header of an ERR packet. */
    public static final int HEADER = 0xFF;

    private static final int SQL_STATE_LENGTH = 5;
    private static final int SQL_STATE_MARKER = '#';

    public MySQLErrPacket {
        Objects.requireNonNull(sqlState, "sqlState");
        Objects.requireNonNull(message, "message");
        if (sqlState.length() != SQL_STATE_LENGTH) {
            throw new IllegalArgumentException("sqlState: \"" + sqlState + "\" (expected: 5 characters)");
        }
    }

    /** The ERR packet for {@code code}, with {@code args} filled into its message template. */
    public static MySQLErrPacket of(MySQLErrorCode code, Object... args) {
        return new MySQLErrPacket(code.errorCode(), code.sqlState(), code.message(args));
    }

    /**
     * Reads an ERR packet. A packet without the SQL state marker (pre-4.1 style) gets state "HY000".
     *
     * @throws MySQLProtocolException if the header is not 0xFF, or the payload is cut short
     */
    public static MySQLErrPacket read(MySQLPayload payload) {
        int header = payload.readInt1();
        if (header != HEADER) {
            throw new MySQLProtocolException(String.format("ERR header: 0x%02x (expected: 0xff)", header));
        }
        int errorCode = payload.readInt2();
        String sqlState = "HY000";
        if (payload.isReadable() && payload.peekInt1() == SQL_STATE_MARKER) {
            payload.skipReserved(1);
            sqlState = payload.readStringFix(SQL_STATE_LENGTH);
        }
        return new MySQLErrPacket(errorCode, sqlState, payload.readStringEOF());
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(HEADER);
        payload.writeInt2(errorCode);
        payload.writeInt1(SQL_STATE_MARKER);
        payload.writeStringFix(sqlState);
        payload.writeStringEOF(message);
    }
}
