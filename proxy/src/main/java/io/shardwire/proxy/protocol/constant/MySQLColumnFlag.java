package io.shardwire.proxy.protocol.constant;

/**
 * Column definition flags ({@code *_FLAG} in
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__column__definition__flags.html">Column
 * Definition Flags</a>), sent as a 16-bit mask in {@code ColumnDefinition41}.
 */
public enum MySQLColumnFlag {

    NOT_NULL(1),
    PRI_KEY(2),
    UNIQUE_KEY(4),
    MULTIPLE_KEY(8),
    BLOB(16),
    UNSIGNED(32),
    ZEROFILL(64),
    BINARY(128),
    ENUM(256),
    AUTO_INCREMENT(512),
    TIMESTAMP(1024),
    SET(2048),
    NO_DEFAULT_VALUE(4096),
    ON_UPDATE_NOW(8192),
    NUM(32768);

    private final int value;

    MySQLColumnFlag(int value) {
        this.value = value;
    }

    /** This flag's bit. */
    public int value() {
        return value;
    }

    /** Whether this flag's bit is set in {@code flags}. */
    public boolean isSet(int flags) {
        return (flags & value) != 0;
    }

    /** The mask with exactly the given flags set. */
    public static int of(MySQLColumnFlag... flags) {
        int mask = 0;
        for (MySQLColumnFlag flag : flags) {
            mask |= flag.value;
        }
        return mask;
    }
}
