package io.shardwire.proxy.protocol.constant;

import java.util.Optional;

/**
 * Column types ({@code enum_field_types} in
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/field__types_8h.html">field_types.h</a>), the
 * {@code type} byte of {@code ColumnDefinition41}.
 *
 * <p>Server-internal types that never reach a client ({@code MYSQL_TYPE_INVALID}, {@code MYSQL_TYPE_BOOL},
 * {@code MYSQL_TYPE_TYPED_ARRAY}) are left out.
 */
public enum MySQLColumnType {

    DECIMAL(0x00),
    TINY(0x01),
    SHORT(0x02),
    LONG(0x03),
    FLOAT(0x04),
    DOUBLE(0x05),
    NULL(0x06),
    TIMESTAMP(0x07),
    LONGLONG(0x08),
    INT24(0x09),
    DATE(0x0a),
    TIME(0x0b),
    DATETIME(0x0c),
    YEAR(0x0d),
    NEWDATE(0x0e),
    VARCHAR(0x0f),
    BIT(0x10),
    TIMESTAMP2(0x11),
    DATETIME2(0x12),
    TIME2(0x13),
    VECTOR(0xf2),
    JSON(0xf5),
    NEWDECIMAL(0xf6),
    ENUM(0xf7),
    SET(0xf8),
    TINY_BLOB(0xf9),
    MEDIUM_BLOB(0xfa),
    LONG_BLOB(0xfb),
    BLOB(0xfc),
    VAR_STRING(0xfd),
    STRING(0xfe),
    GEOMETRY(0xff);

    private static final MySQLColumnType[] BY_VALUE = new MySQLColumnType[256];

    static {
        for (MySQLColumnType type : values()) {
            BY_VALUE[type.value] = type;
        }
    }

    private final int value;

    MySQLColumnType(int value) {
        this.value = value;
    }

    /** The type byte on the wire. */
    public int value() {
        return value;
    }

    /** The type with this byte value, or empty if there is none. */
    public static Optional<MySQLColumnType> of(int value) {
        return value >= 0 && value < BY_VALUE.length ? Optional.ofNullable(BY_VALUE[value]) : Optional.empty();
    }
}
