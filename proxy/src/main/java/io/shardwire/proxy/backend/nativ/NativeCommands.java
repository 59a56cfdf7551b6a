package io.shardwire.proxy.backend.nativ;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.constant.MySQLColumnType;
import io.shardwire.proxy.protocol.packet.command.MySQLCommandType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * The command payloads a native backend connection sends: COM_QUERY, COM_STMT_PREPARE and COM_STMT_EXECUTE with its
 * parameters bound as the JDBC path binds them (Connector/J's {@code setObject}): Long as LONGLONG, an unsigned
 * BigInteger as DECIMAL (exact), Float, Double, BigDecimal, String as VAR_STRING in UTF-8 (the connection's
 * charset), null as NULL; except byte[], bound as BLOB, as the client sent it, where Connector/J sends a string in
 * the connection's charset (so a byte[] parameter in a select list gets a binary column type here and a character
 * one on the JDBC path). The parameter types are sent with every execute.
 */
public final class NativeCommands {

    /** The unsigned flag in a parameter's type word. */
    private static final int UNSIGNED = 0x80;

    private NativeCommands() {
    }

    /** Whether every value is of a kind {@link #execute} binds. */
    public static boolean bindable(List<?> parameters) {
        for (Object value : parameters) {
            if (value != null && !(value instanceof Long || value instanceof BigInteger || value instanceof Float
                    || value instanceof Double || value instanceof BigDecimal || value instanceof String
                    || value instanceof byte[])) {
                return false;
            }
        }
        return true;
    }

    /** COM_QUERY with this text. */
    static ByteBuf query(ByteBufAllocator allocator, String sql) {
        return command(allocator, MySQLCommandType.COM_QUERY, sql);
    }

    /** COM_STMT_PREPARE of this text. */
    static ByteBuf prepare(ByteBufAllocator allocator, String sql) {
        return command(allocator, MySQLCommandType.COM_STMT_PREPARE, sql);
    }

    private static ByteBuf command(ByteBufAllocator allocator, MySQLCommandType type, String sql) {
        byte[] text = sql.getBytes(UTF_8);
        ByteBuf buffer = allocator.buffer(1 + text.length);
        buffer.writeByte(type.value());
        buffer.writeBytes(text);
        return buffer;
    }

    /**
     * COM_STMT_EXECUTE of a backend statement, no cursor, with the values bound, as a packet that the codec writes
     * straight into its frame: no buffer of its own to fill and copy. The values' types are taken here, so a value
     * {@link #bindable} refuses fails the call, never the write.
     *
     * @throws IllegalArgumentException for a value {@link #bindable} refuses
     */
    static MySQLPacket execute(long statementId, List<?> parameters) {
        int[] typeWords = new int[parameters.size()];
        for (int i = 0; i < typeWords.length; i++) {
            typeWords[i] = typeWord(parameters.get(i));
        }
        return payload -> writeExecute(payload, statementId, parameters, typeWords);
    }

    private static void writeExecute(MySQLPayload payload, long statementId, List<?> parameters, int[] typeWords) {
        payload.writeInt1(MySQLCommandType.COM_STMT_EXECUTE.value());
        payload.writeInt4((int) statementId);
        payload.writeInt1(0);
        payload.writeInt4(1);
        int count = typeWords.length;
        if (count == 0) {
            return;
        }
        byte[] nullBitmap = new byte[(count + 7) / 8];
        for (int i = 0; i < count; i++) {
            if (parameters.get(i) == null) {
                nullBitmap[i / 8] |= (byte) (1 << (i % 8));
            }
        }
        payload.writeBytes(nullBitmap);
        payload.writeInt1(1);
        for (int typeWord : typeWords) {
            payload.writeInt2(typeWord);
        }
        for (int i = 0; i < count; i++) {
            writeValue(payload, parameters.get(i));
        }
    }

    private static int typeWord(Object value) {
        return switch (value) {
            case null -> MySQLColumnType.NULL.value();
            case Long l -> MySQLColumnType.LONGLONG.value();
            case BigInteger i -> MySQLColumnType.NEWDECIMAL.value() | (UNSIGNED << 8);
            case Float f -> MySQLColumnType.FLOAT.value();
            case Double d -> MySQLColumnType.DOUBLE.value();
            case BigDecimal d -> MySQLColumnType.NEWDECIMAL.value();
            case String s -> MySQLColumnType.VAR_STRING.value();
            case byte[] b -> MySQLColumnType.BLOB.value();
            default -> throw new IllegalArgumentException("not bindable: " + value.getClass().getName());
        };
    }

    private static void writeValue(MySQLPayload payload, Object value) {
        switch (value) {
            case null -> { }
            case Long l -> payload.writeInt8(l);
            case BigInteger i -> payload.writeStringLenenc(i.toString());
            case Float f -> payload.writeInt4(Float.floatToIntBits(f));
            case Double d -> payload.writeInt8(Double.doubleToLongBits(d));
            case BigDecimal d -> payload.writeStringLenenc(d.toPlainString());
            case String s -> payload.writeBytesLenenc(s.getBytes(UTF_8));
            case byte[] b -> payload.writeBytesLenenc(b);
            default -> throw new IllegalArgumentException("not bindable: " + value.getClass().getName());
        }
    }
}
