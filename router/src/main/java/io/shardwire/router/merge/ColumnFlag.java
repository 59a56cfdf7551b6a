package io.shardwire.router.merge;

/** The column definition flags the merge looks at. See MySQL's {@code include/mysql_com.h}. */
public enum ColumnFlag {
    UNSIGNED(32),
    ENUM(256),
    SET(2048);

    private final int mask;

    ColumnFlag(int mask) {
        this.mask = mask;
    }

    /** The flag's bit. */
    public int mask() {
        return mask;
    }

    /** Whether {@code flags} has this flag. */
    public boolean in(int flags) {
        return (flags & mask) != 0;
    }
}
