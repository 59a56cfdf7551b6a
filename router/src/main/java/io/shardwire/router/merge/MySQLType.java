package io.shardwire.router.merge;

import java.util.HashMap;
import java.util.Map;

/**
 * The column types of the MySQL protocol ({@code enum_field_types}), as sent in a column
 * definition. See <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/field__types_8h.html">field_types.h</a>.
 */
public enum MySQLType {
    DECIMAL(0), TINY(1), SHORT(2), LONG(3), FLOAT(4), DOUBLE(5), NULL(6), TIMESTAMP(7), LONGLONG(8), INT24(9),
    DATE(10), TIME(11), DATETIME(12), YEAR(13), NEWDATE(14), VARCHAR(15), BIT(16), TIMESTAMP2(17), DATETIME2(18),
    TIME2(19), JSON(245), NEWDECIMAL(246), ENUM(247), SET(248), TINY_BLOB(249), MEDIUM_BLOB(250), LONG_BLOB(251),
    BLOB(252), VAR_STRING(253), STRING(254), GEOMETRY(255);

    private static final Map<Integer, MySQLType> BY_ID = new HashMap<>();

    static {
        for (MySQLType type : values()) {
            BY_ID.put(type.id, type);
        }
    }

    private final int id;

    MySQLType(int id) {
        this.id = id;
    }

    /** The id on the wire. */
    public int id() {
        return id;
    }

    /** The type with this id. */
    public static MySQLType of(int id) {
        MySQLType type = BY_ID.get(id);
        if (type == null) {
            throw new MergeException("unknown MySQL column type " + id);
        }
        return type;
    }

    /** TINYINT .. BIGINT and YEAR: text is a decimal integer. */
    public boolean isInteger() {
        return switch (this) {
            case TINY, SHORT, LONG, LONGLONG, INT24, YEAR -> true;
            default -> false;
        };
    }

    /** DECIMAL: text is an exact decimal number. */
    public boolean isDecimal() {
        return this == DECIMAL || this == NEWDECIMAL;
    }

    /** FLOAT and DOUBLE. */
    public boolean isFloatingPoint() {
        return this == FLOAT || this == DOUBLE;
    }

    /** TIME: signed, possibly more than 24 hours. */
    public boolean isTime() {
        return this == TIME || this == TIME2;
    }
}
