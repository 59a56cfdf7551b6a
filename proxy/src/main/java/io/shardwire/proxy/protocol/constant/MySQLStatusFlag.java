package io.shardwire.proxy.protocol.constant;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/mysql__com_8h.html">Server status flags</a>
 * ({@code SERVER_STATUS_*}), sent in OK, EOF and the initial handshake.
 *
 * <p>On the wire the flags are one 16-bit mask; {@link #of}/{@link #isSet} convert between the mask and this enum.
 */
public enum MySQLStatusFlag {

    SERVER_STATUS_IN_TRANS(0x0001),
    SERVER_STATUS_AUTOCOMMIT(0x0002),
    SERVER_MORE_RESULTS_EXISTS(0x0008),
    SERVER_QUERY_NO_GOOD_INDEX_USED(0x0010),
    SERVER_QUERY_NO_INDEX_USED(0x0020),
    SERVER_STATUS_CURSOR_EXISTS(0x0040),
    SERVER_STATUS_LAST_ROW_SENT(0x0080),
    SERVER_STATUS_DB_DROPPED(0x0100),
    SERVER_STATUS_NO_BACKSLASH_ESCAPES(0x0200),
    SERVER_STATUS_METADATA_CHANGED(0x0400),
    SERVER_QUERY_WAS_SLOW(0x0800),
    SERVER_PS_OUT_PARAMS(0x1000),
    SERVER_STATUS_IN_TRANS_READONLY(0x2000),
    SERVER_SESSION_STATE_CHANGED(0x4000);

    private final int value;

    MySQLStatusFlag(int value) {
        this.value = value;
    }

    /** This flag's bit. */
    public int value() {
        return value;
    }

    /** Whether this flag's bit is set in {@code statusFlags}. */
    public boolean isSet(int statusFlags) {
        return (statusFlags & value) != 0;
    }

    /** The mask with exactly the given flags set. */
    public static int of(MySQLStatusFlag... flags) {
        int statusFlags = 0;
        for (MySQLStatusFlag flag : flags) {
            statusFlags |= flag.value;
        }
        return statusFlags;
    }
}
