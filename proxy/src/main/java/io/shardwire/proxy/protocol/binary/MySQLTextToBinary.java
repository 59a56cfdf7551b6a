package io.shardwire.proxy.protocol.binary;

import io.shardwire.proxy.protocol.MySQLProtocolException;
import io.shardwire.proxy.protocol.constant.MySQLColumnFlag;
import io.shardwire.proxy.protocol.constant.MySQLColumnType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A value in the text protocol's form turned into the binary protocol's form, as
 * {@link MySQLBinaryResultSetRowPacket} writes it: for rows the proxy computed or merged from text
 * results but must send to a prepared statement. Numbers become little-endian fixed-size values,
 * temporal values the length-prefixed structs (shortest form, as MySQL sends them), and everything
 * else (strings, DECIMAL, BIT, JSON, blobs) stays as it is.
 */
public final class MySQLTextToBinary {

    private MySQLTextToBinary() {
    }

    /**
     * @param type  the column's type byte
     * @param flags the column's flags (for UNSIGNED)
     * @param text  the text value; never null (NULL goes in the row's bitmap)
     */
    public static byte[] convert(int type, int flags, byte[] text) {
        MySQLColumnType columnType = MySQLColumnType.of(type).orElse(MySQLColumnType.BLOB);
        boolean unsigned = MySQLColumnFlag.UNSIGNED.isSet(flags);
        String value = switch (columnType) {
            case TINY, SHORT, YEAR, INT24, LONG, LONGLONG, FLOAT, DOUBLE, DATE, DATETIME, TIMESTAMP, TIME ->
                    new String(text, StandardCharsets.US_ASCII);
            default -> null;
        };
        try {
            return switch (columnType) {
                case TINY -> new byte[] {(byte) parseLong(value, unsigned)};
                case SHORT, YEAR -> little(2).putShort((short) parseLong(value, unsigned)).array();
                case INT24, LONG -> little(4).putInt((int) parseLong(value, unsigned)).array();
                case LONGLONG -> little(8).putLong(parseLong(value, unsigned)).array();
                case FLOAT -> little(4).putFloat(Float.parseFloat(value)).array();
                case DOUBLE -> little(8).putDouble(Double.parseDouble(value)).array();
                case DATE, DATETIME, TIMESTAMP -> dateTime(value);
                case TIME -> time(value);
                default -> text;
            };
        } catch (RuntimeException e) {
            throw new MySQLProtocolException(columnType + " value '" + new String(text, StandardCharsets.UTF_8)
                    + "' has no binary form: " + e.getMessage());
        }
    }

    private static long parseLong(String value, boolean unsigned) {
        return unsigned ? Long.parseUnsignedLong(value) : Long.parseLong(value);
    }

    private static ByteBuffer little(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** {@code YYYY-MM-DD[ hh:mm:ss[.ffffff]]} -> 0, 4, 7 or 11 bytes. */
    private static byte[] dateTime(String value) {
        int year = Integer.parseInt(value.substring(0, 4));
        int month = Integer.parseInt(value.substring(5, 7));
        int day = Integer.parseInt(value.substring(8, 10));
        int hour = 0;
        int minute = 0;
        int second = 0;
        int micros = 0;
        if (value.length() > 10) {
            hour = Integer.parseInt(value.substring(11, 13));
            minute = Integer.parseInt(value.substring(14, 16));
            second = Integer.parseInt(value.substring(17, 19));
            micros = value.length() > 20 ? micros(value.substring(20)) : 0;
        }
        if (year == 0 && month == 0 && day == 0 && hour == 0 && minute == 0 && second == 0 && micros == 0) {
            return new byte[0];
        }
        int length = micros != 0 ? 11 : (hour | minute | second) != 0 ? 7 : 4;
        ByteBuffer out = little(length).putShort((short) year).put((byte) month).put((byte) day);
        if (length >= 7) {
            out.put((byte) hour).put((byte) minute).put((byte) second);
        }
        if (length == 11) {
            out.putInt(micros);
        }
        return out.array();
    }

    /** {@code [-]h+:mm:ss[.ffffff]} -> 0, 8 or 12 bytes. */
    private static byte[] time(String value) {
        boolean negative = value.startsWith("-");
        String unsignedValue = negative ? value.substring(1) : value;
        String[] parts = unsignedValue.split(":");
        int hours = Integer.parseInt(parts[0]);
        int minutes = Integer.parseInt(parts[1]);
        String secondsPart = parts[2];
        int dot = secondsPart.indexOf('.');
        int seconds = Integer.parseInt(dot < 0 ? secondsPart : secondsPart.substring(0, dot));
        int micros = dot < 0 ? 0 : micros(secondsPart.substring(dot + 1));
        if (hours == 0 && minutes == 0 && seconds == 0 && micros == 0) {
            return new byte[0];
        }
        ByteBuffer out = little(micros != 0 ? 12 : 8).put((byte) (negative ? 1 : 0)).putInt(hours / 24)
                .put((byte) (hours % 24)).put((byte) minutes).put((byte) seconds);
        if (micros != 0) {
            out.putInt(micros);
        }
        return out.array();
    }

    /** A fraction of a second as microseconds: "5" is 500000, "123456" is 123456. */
    private static int micros(String fraction) {
        String six = (fraction + "000000").substring(0, 6);
        return Integer.parseInt(six);
    }
}
