package io.shardwire.proxy.protocol.binary;

import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.MySQLProtocolException;
import io.shardwire.proxy.protocol.constant.MySQLColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The parameter block of a
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html">COM_STMT_EXECUTE</a>
 * decoded into Java values a JDBC driver binds as the client meant them:
 *
 * <table>
 *   <caption>binary parameter type -> Java value</caption>
 *   <tr><th>MySQL type</th><th>Java value</th></tr>
 *   <tr><td>NULL, or its NULL-bitmap bit set</td><td>null</td></tr>
 *   <tr><td>TINY, SHORT, YEAR, INT24, LONG, LONGLONG</td><td>Long; BigInteger for an unsigned LONGLONG above 2^63-1</td></tr>
 *   <tr><td>FLOAT / DOUBLE</td><td>Float / Double</td></tr>
 *   <tr><td>DECIMAL, NEWDECIMAL</td><td>BigDecimal</td></tr>
 *   <tr><td>DATE, DATETIME, TIMESTAMP, TIME</td><td>String in MySQL's literal form, which the server converts
 *       exactly (zero dates, negative and over-24-hour times included)</td></tr>
 *   <tr><td>BLOB types, GEOMETRY, BIT</td><td>byte[]</td></tr>
 *   <tr><td>other (VARCHAR, VAR_STRING, STRING, ENUM, SET, JSON)</td><td>String in the connection's charset, or
 *       byte[] when the bytes are not valid in it</td></tr>
 * </table>
 *
 * @param types  per parameter: type byte | flags byte (0x80 = unsigned) shifted left by 8
 * @param values per parameter, as above
 */
public record MySQLBinaryParameters(int[] types, List<Object> values) {

    /** The unsigned flag in a parameter's type word. */
    public static final int UNSIGNED_FLAG = 0x8000;

    public MySQLBinaryParameters {
        types = types.clone();
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** No parameters. */
    public static final MySQLBinaryParameters NONE = new MySQLBinaryParameters(new int[0], List.of());

    /**
     * Reads the parameter block.
     *
     * @param payload       positioned after the execute header
     * @param count         the statement's parameter count
     * @param previousTypes the types bound by the last execute, used when the client sends none (may be null)
     * @param longData      values sent with COM_STMT_SEND_LONG_DATA, by parameter index; absent from the block
     * @throws MySQLProtocolException if the block is short or names no types when none were bound before
     */
    public static MySQLBinaryParameters read(MySQLPayload payload, int count, int[] previousTypes,
                                             Map<Integer, byte[]> longData, Charset charset) {
        if (count == 0) {
            return NONE;
        }
        byte[] nullBitmap = payload.readBytesFix((count + 7) / 8);
        int[] types;
        if (payload.readInt1() == 1) {
            types = new int[count];
            for (int i = 0; i < count; i++) {
                types[i] = payload.readInt2();
            }
        } else if (previousTypes != null && previousTypes.length == count) {
            types = previousTypes;
        } else {
            throw new MySQLProtocolException("COM_STMT_EXECUTE sent no parameter types and none were bound before");
        }
        Object[] values = new Object[count];
        for (int i = 0; i < count; i++) {
            boolean isNull = (nullBitmap[i / 8] & (1 << (i % 8))) != 0;
            if (!longData.isEmpty() && longData.containsKey(i)) {
                values[i] = asLongDataValue(types[i], longData.get(i), charset);
            } else if (!isNull) {
                values[i] = readValue(payload, types[i], charset);
            }
        }
        return new MySQLBinaryParameters(types, Arrays.asList(values));
    }

    private static Object readValue(MySQLPayload payload, int typeWord, Charset charset) {
        int type = typeWord & 0xFF;
        boolean unsigned = (typeWord & UNSIGNED_FLAG) != 0;
        MySQLColumnType columnType = MySQLColumnType.of(type)
                .orElseThrow(() -> new MySQLProtocolException("unknown parameter type 0x" + Integer.toHexString(type)));
        return switch (columnType) {
            case NULL -> null;
            case TINY -> unsigned ? (long) payload.readInt1() : (long) (byte) payload.readInt1();
            case SHORT, YEAR -> unsigned ? (long) payload.readInt2() : (long) (short) payload.readInt2();
            case INT24, LONG -> unsigned ? Integer.toUnsignedLong(payload.readInt4()) : (long) payload.readInt4();
            case LONGLONG -> {
                long value = payload.readInt8();
                yield unsigned && value < 0 ? new BigInteger(Long.toUnsignedString(value)) : (Object) value;
            }
            case FLOAT -> Float.intBitsToFloat(payload.readInt4());
            case DOUBLE -> Double.longBitsToDouble(payload.readInt8());
            case DECIMAL, NEWDECIMAL -> new BigDecimal(payload.readStringLenenc(charset));
            case DATE, DATETIME, TIMESTAMP -> MySQLTemporal.dateTimeLiteral(columnType, payload.readBytesFix(payload.readInt1()));
            case TIME -> MySQLTemporal.timeLiteral(payload.readBytesFix(payload.readInt1()));
            case TINY_BLOB, MEDIUM_BLOB, LONG_BLOB, BLOB, GEOMETRY, BIT -> payload.readBytesLenenc();
            default -> textOrBytes(payload.readBytesLenenc(), charset);
        };
    }

    /**
     * A string parameter as text when its bytes are valid in the connection's charset; otherwise the
     * bytes themselves (drivers send byte arrays as strings too), which a decode would corrupt.
     */
    private static Object textOrBytes(byte[] bytes, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException notText) {
            return bytes;
        }
    }

    private static Object asLongDataValue(int typeWord, byte[] data, Charset charset) {
        return switch (MySQLColumnType.of(typeWord & 0xFF).orElse(MySQLColumnType.BLOB)) {
            case TINY_BLOB, MEDIUM_BLOB, LONG_BLOB, BLOB, GEOMETRY, BIT -> data;
            default -> textOrBytes(data, charset);
        };
    }

    @Override
    public int[] types() {
        return types.clone();
    }
}
