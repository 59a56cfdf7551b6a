package io.shardwire.proxy.protocol.binary;

import io.shardwire.proxy.protocol.MySQLProtocolException;
import io.shardwire.proxy.protocol.constant.MySQLColumnType;

/**
 * The binary protocol's temporal values
 * (<a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html">ProtocolBinary</a>
 * DATE/DATETIME/TIMESTAMP: length 0, 4, 7 or 11; TIME: length 0, 8 or 12) as MySQL literals, which keep what Java's
 * time types cannot: zero dates, negative times and times over 24 hours.
 */
final class MySQLTemporal {

    private MySQLTemporal() {
    }

    /** {@code YYYY-MM-DD} for a DATE, {@code YYYY-MM-DD hh:mm:ss[.ffffff]} otherwise. */
    static String dateTimeLiteral(MySQLColumnType type, byte[] value) {
        if (value.length != 0 && value.length != 4 && value.length != 7 && value.length != 11) {
            throw new MySQLProtocolException(type + " value of " + value.length + " bytes (expected: 0, 4, 7 or 11)");
        }
        int year = value.length == 0 ? 0 : (value[0] & 0xFF) | (value[1] & 0xFF) << 8;
        int month = value.length == 0 ? 0 : value[2];
        int day = value.length == 0 ? 0 : value[3];
        String date = String.format("%04d-%02d-%02d", year, month, day);
        if (type == MySQLColumnType.DATE) {
            return date;
        }
        int hour = value.length >= 7 ? value[4] : 0;
        int minute = value.length >= 7 ? value[5] : 0;
        int second = value.length >= 7 ? value[6] : 0;
        return date + String.format(" %02d:%02d:%02d", hour, minute, second) + micros(value, 7);
    }

    /** {@code [-]hhh:mm:ss[.ffffff]}, hours counting the days. */
    static String timeLiteral(byte[] value) {
        if (value.length != 0 && value.length != 8 && value.length != 12) {
            throw new MySQLProtocolException("TIME value of " + value.length + " bytes (expected: 0, 8 or 12)");
        }
        if (value.length == 0) {
            return "00:00:00";
        }
        boolean negative = value[0] == 1;
        long days = (value[1] & 0xFFL) | (value[2] & 0xFFL) << 8 | (value[3] & 0xFFL) << 16 | (value[4] & 0xFFL) << 24;
        long hours = days * 24 + value[5];
        return (negative ? "-" : "") + String.format("%02d:%02d:%02d", hours, value[6], value[7]) + micros(value, 8);
    }

    private static String micros(byte[] value, int at) {
        if (value.length < at + 4) {
            return "";
        }
        long micros = (value[at] & 0xFFL) | (value[at + 1] & 0xFFL) << 8 | (value[at + 2] & 0xFFL) << 16
                | (value[at + 3] & 0xFFL) << 24;
        return String.format(".%06d", micros);
    }
}
