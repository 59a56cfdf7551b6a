package io.shardwire.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;

/** Test helpers to turn packets into bytes and bytes into payloads. */
public final class PacketBytes {

    private PacketBytes() {
    }

    /** The payload {@code packet} writes. */
    public static byte[] write(MySQLPacket packet) {
        ByteBuf buffer = Unpooled.buffer();
        packet.write(new MySQLPayload(buffer));
        return ByteBufUtil.getBytes(buffer);
    }

    /** A payload over {@code bytes}. */
    public static MySQLPayload payload(byte[] bytes) {
        return new MySQLPayload(Unpooled.wrappedBuffer(bytes));
    }

    /** Bytes from hex digits, ignoring spaces: {@code hex("0a ff")}. */
    public static byte[] hex(String digits) {
        return HexFormat.of().parseHex(digits.replace(" ", ""));
    }

    /** Bytes from ints 0..255, for layouts written field by field. */
    public static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    /** Concatenation of byte arrays. */
    public static byte[] concat(byte[]... parts) {
        ByteBuf buffer = Unpooled.buffer();
        for (byte[] part : parts) {
            buffer.writeBytes(part);
        }
        return ByteBufUtil.getBytes(buffer);
    }
}
