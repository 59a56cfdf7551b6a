package io.shardwire.proxy.protocol.packet.generic;

import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.MySQLProtocolException;
import java.util.Objects;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html">OK_Packet</a>:
 * a command succeeded, or (with header 0xFE) a result set ended on a connection with {@code CLIENT_DEPRECATE_EOF}.
 *
 * <pre>
 * Bytes        Name
 * -----        ----
 * 1            header: 0x00, or 0xFE when it ends a result set
 * 1-9 lenenc   affected rows
 * 1-9 lenenc   last insert id
 * 2            status flags ({@code MySQLStatusFlag})
 * 2            warnings
 * n EOF        info
 * </pre>
 *
 * <p>The layout is the {@code CLIENT_PROTOCOL_41} one without {@code CLIENT_SESSION_TRACK}: Shardwire requires the
 * former and does not offer the latter, so {@code info} is a {@code string<EOF>} and session state is never sent.
 *
 * @param affectedRows rows changed by the statement, unsigned
 * @param lastInsertId the first AUTO_INCREMENT value generated, unsigned
 * @param statusFlags {@code SERVER_STATUS_*} mask
 * @param warnings number of warnings
 * @param info human-readable information, usually empty
 * @param endsResultSet true for the 0xFE-header variant that replaces the EOF packet after result set rows
 */
public record MySQLOKPacket(long affectedRows, long lastInsertId, int statusFlags, int warnings, String info,
        boolean endsResultSet) implements MySQLPacket {

    /** Header of a plain OK packet. */
    public static final int HEADER = 0x00;

    /** Header of the OK packet that ends a result set under {@code CLIENT_DEPRECATE_EOF}. */
    public static final int EOF_HEADER = 0xFE;

    public MySQLOKPacket {
        Objects.requireNonNull(info, "info");
    }

    /** A plain OK packet (header 0x00). */
    public MySQLOKPacket(long affectedRows, long lastInsertId, int statusFlags, int warnings, String info) {
        this(affectedRows, lastInsertId, statusFlags, warnings, info, false);
    }

    /** A plain OK with nothing affected, no warnings and no info. */
    public static MySQLOKPacket of(int statusFlags) {
        return new MySQLOKPacket(0, 0, statusFlags, 0, "", false);
    }

    /**
     * The OK packet that ends a result set's rows when {@code CLIENT_DEPRECATE_EOF} is in force. The arguments come
     * in the order of {@link MySQLEofPacket}'s, which this packet replaces.
     */
    public static MySQLOKPacket endOfResultSet(int warnings, int statusFlags) {
        return new MySQLOKPacket(0, 0, statusFlags, warnings, "", true);
    }

    /**
     * Reads an OK packet of either header.
     *
     * @throws MySQLProtocolException if the header is neither 0x00 nor 0xFE, or the payload is cut short
     */
    public static MySQLOKPacket read(MySQLPayload payload) {
        int header = payload.readInt1();
        if (header != HEADER && header != EOF_HEADER) {
            throw new MySQLProtocolException(String.format("OK header: 0x%02x (expected: 0x00 or 0xfe)", header));
        }
        long affectedRows = payload.readIntLenenc();
        long lastInsertId = payload.readIntLenenc();
        int statusFlags = payload.readInt2();
        int warnings = payload.readInt2();
        return new MySQLOKPacket(affectedRows, lastInsertId, statusFlags, warnings, payload.readStringEOF(),
                header == EOF_HEADER);
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(endsResultSet ? EOF_HEADER : HEADER);
        payload.writeIntLenenc(affectedRows);
        payload.writeIntLenenc(lastInsertId);
        payload.writeInt2(statusFlags);
        payload.writeInt2(warnings);
        payload.writeStringEOF(info);
    }
}
