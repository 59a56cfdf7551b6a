package io.shardwire.router.merge;

/**
 * A column of a result set, as its column definition packet describes it. The merge reads the
 * type, flags, decimals and collation to decode values where it must compare or compute them;
 * everything else passes through.
 *
 * @param name      the column's name (its alias, if any)
 * @param type      the MySQL type id ({@link MySQLType#id()})
 * @param flags     the column flags ({@link ColumnFlag} bits, e.g. UNSIGNED)
 * @param decimals  the number of decimals (DECIMAL scale; 31 or 39 for "not fixed")
 * @param collation the collation id (63 = binary)
 * @param length    the column length, passed through
 */
public record ResultColumn(String name, int type, int flags, int decimals, int collation, long length) {

    /** The type as an enum. */
    public MySQLType mysqlType() {
        return MySQLType.of(type);
    }

    /** Whether the column holds unsigned integers. */
    public boolean isUnsigned() {
        return ColumnFlag.UNSIGNED.in(flags);
    }
}
