package io.shardwire.proxy.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * The payload of one logical MySQL packet, read and written with the
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_data_types.html">basic data types</a>
 * of the MySQL documentation, after which the methods are named: {@code int<n>}, {@code int<lenenc>},
 * {@code string<fix>}, {@code string<NUL>}, {@code string<lenenc>} and {@code string<EOF>}.
 *
 * <p>Integers are little endian. {@code readInt1..3} return the unsigned value; {@code readInt4}, {@code readInt8}
 * and {@code readIntLenenc} return the raw bits, so values above the signed range come back negative (use
 * {@link Integer#toUnsignedLong} or {@link Long#toUnsignedString} when that matters). Strings are UTF-8 unless a
 * {@link Charset} is passed.
 *
 * <p>Reads that run past the end of the payload, or that meet a malformed field, throw
 * {@link MySQLProtocolException}. The payload does not own the buffer: whoever created the buffer releases it. Not
 * thread-safe, like the {@link ByteBuf} it wraps.
 */
public final class MySQLPayload {

    /** First byte of an {@code int<lenenc>} that is followed by 2 bytes. */
    private static final int LENENC_INT2 = 0xFC;
    /** First byte of an {@code int<lenenc>} that is followed by 3 bytes. */
    private static final int LENENC_INT3 = 0xFD;
    /** First byte of an {@code int<lenenc>} that is followed by 8 bytes. */
    private static final int LENENC_INT8 = 0xFE;
    /** Values below this fit in the single first byte of an {@code int<lenenc>}. */
    private static final int LENENC_INT1_LIMIT = 0xFB;

    private final ByteBuf byteBuf;

    /**
     * @param byteBuf the payload bytes, without the 4-byte packet header
     */
    public MySQLPayload(ByteBuf byteBuf) {
        this.byteBuf = Objects.requireNonNull(byteBuf, "byteBuf");
    }

    /** The wrapped buffer, for callers that need to hand bytes on untouched. */
    public ByteBuf byteBuf() {
        return byteBuf;
    }

    /** How many bytes are left to read. */
    public int readableBytes() {
        return byteBuf.readableBytes();
    }

    /** Whether any byte is left to read; optional trailing fields are present only if so. */
    public boolean isReadable() {
        return byteBuf.isReadable();
    }

    /** Returns the next {@code int<1>} without consuming it, e.g. to dispatch on a command or header byte. */
    public int peekInt1() {
        require(1, "int<1>");
        return byteBuf.getUnsignedByte(byteBuf.readerIndex());
    }

    /** Reads an {@code int<1>}. */
    public int readInt1() {
        require(1, "int<1>");
        return byteBuf.readUnsignedByte();
    }

    /** Reads an {@code int<2>}. */
    public int readInt2() {
        require(2, "int<2>");
        return byteBuf.readUnsignedShortLE();
    }

    /** Reads an {@code int<3>}. */
    public int readInt3() {
        require(3, "int<3>");
        return byteBuf.readUnsignedMediumLE();
    }

    /** Reads an {@code int<4>}, as raw bits. */
    public int readInt4() {
        require(4, "int<4>");
        return byteBuf.readIntLE();
    }

    /** Reads an {@code int<6>}. */
    public long readInt6() {
        require(6, "int<6>");
        long low = byteBuf.readUnsignedIntLE();
        long high = byteBuf.readUnsignedShortLE();
        return high << 32 | low;
    }

    /** Reads an {@code int<8>}, as raw bits. */
    public long readInt8() {
        require(8, "int<8>");
        return byteBuf.readLongLE();
    }

    /**
     * Reads an {@code int<lenenc>}.
     *
     * @throws MySQLProtocolException if the first byte is 0xFB (the NULL marker of a result set row) or 0xFF, neither
     *     of which starts an integer
     */
    public long readIntLenenc() {
        int first = readInt1();
        if (first < LENENC_INT1_LIMIT) {
            return first;
        }
        return switch (first) {
            case LENENC_INT2 -> readInt2();
            case LENENC_INT3 -> readInt3();
            case LENENC_INT8 -> readInt8();
            default -> throw new MySQLProtocolException(
                    String.format("int<lenenc> first byte: 0x%02x (expected: < 0xfb or 0xfc..0xfe)", first));
        };
    }

    /** Reads a {@code string<fix>} of {@code length} bytes as raw bytes. */
    public byte[] readBytesFix(int length) {
        if (length < 0) {
            throw new MySQLProtocolException("string<fix> length: " + length + " (expected: >= 0)");
        }
        require(length, "string<fix>");
        byte[] bytes = new byte[length];
        byteBuf.readBytes(bytes);
        return bytes;
    }

    /** Reads a {@code string<fix>} of {@code length} bytes as UTF-8. */
    public String readStringFix(int length) {
        return readStringFix(length, UTF_8);
    }

    /** Reads a {@code string<fix>} of {@code length} bytes in {@code charset}. */
    public String readStringFix(int length, Charset charset) {
        return new String(readBytesFix(length), charset);
    }

    /** Reads a {@code string<NUL>} as raw bytes; the terminator is consumed but not returned. */
    public byte[] readBytesNul() {
        int length = byteBuf.bytesBefore((byte) 0);
        if (length < 0) {
            throw new MySQLProtocolException("string<NUL>: no NUL terminator in " + readableBytes() + " bytes");
        }
        byte[] bytes = readBytesFix(length);
        byteBuf.skipBytes(1);
        return bytes;
    }

    /** Reads a {@code string<NUL>} as UTF-8. */
    public String readStringNul() {
        return readStringNul(UTF_8);
    }

    /** Reads a {@code string<NUL>} in {@code charset}. */
    public String readStringNul(Charset charset) {
        return new String(readBytesNul(), charset);
    }

    /** Reads a {@code string<lenenc>} as raw bytes. */
    public byte[] readBytesLenenc() {
        long length = readIntLenenc();
        if (length < 0 || length > readableBytes()) {
            throw new MySQLProtocolException("string<lenenc> length: " + Long.toUnsignedString(length)
                    + " (expected: <= " + readableBytes() + ")");
        }
        return readBytesFix((int) length);
    }

    /** Reads a {@code string<lenenc>} as UTF-8. */
    public String readStringLenenc() {
        return readStringLenenc(UTF_8);
    }

    /** Reads a {@code string<lenenc>} in {@code charset}. */
    public String readStringLenenc(Charset charset) {
        return new String(readBytesLenenc(), charset);
    }

    /** Reads the rest of the payload ({@code string<EOF>}) as raw bytes. */
    public byte[] readBytesEOF() {
        return readBytesFix(readableBytes());
    }

    /** Reads the rest of the payload ({@code string<EOF>}) as UTF-8. */
    public String readStringEOF() {
        return readStringEOF(UTF_8);
    }

    /** Reads the rest of the payload ({@code string<EOF>}) in {@code charset}. */
    public String readStringEOF(Charset charset) {
        return new String(readBytesEOF(), charset);
    }

    /** Skips {@code length} reserved or filler bytes without looking at them. */
    public void skipReserved(int length) {
        require(length, "reserved");
        byteBuf.skipBytes(length);
    }

    /** Writes an {@code int<1>}; only the low 8 bits of {@code value} are written. */
    public void writeInt1(int value) {
        byteBuf.writeByte(value);
    }

    /** Writes an {@code int<2>}; only the low 16 bits of {@code value} are written. */
    public void writeInt2(int value) {
        byteBuf.writeShortLE(value);
    }

    /** Writes an {@code int<3>}; only the low 24 bits of {@code value} are written. */
    public void writeInt3(int value) {
        byteBuf.writeMediumLE(value);
    }

    /** Writes an {@code int<4>}. */
    public void writeInt4(int value) {
        byteBuf.writeIntLE(value);
    }

    /** Writes an {@code int<6>}; only the low 48 bits of {@code value} are written. */
    public void writeInt6(long value) {
        byteBuf.writeIntLE((int) value);
        byteBuf.writeShortLE((int) (value >>> 32));
    }

    /** Writes an {@code int<8>}. */
    public void writeInt8(long value) {
        byteBuf.writeLongLE(value);
    }

    /**
     * Writes an {@code int<lenenc>} in its shortest form. {@code value} is taken as unsigned, so a negative value is
     * written as the 8-byte form of its unsigned meaning.
     */
    public void writeIntLenenc(long value) {
        if (value >= 0 && value < LENENC_INT1_LIMIT) {
            byteBuf.writeByte((int) value);
        } else if (value >= 0 && value <= 0xFFFF) {
            byteBuf.writeByte(LENENC_INT2);
            byteBuf.writeShortLE((int) value);
        } else if (value >= 0 && value <= 0xFFFFFF) {
            byteBuf.writeByte(LENENC_INT3);
            byteBuf.writeMediumLE((int) value);
        } else {
            byteBuf.writeByte(LENENC_INT8);
            byteBuf.writeLongLE(value);
        }
    }

    /** Writes raw bytes ({@code string<fix>} or {@code string<EOF>} when nothing follows). */
    public void writeBytes(byte[] value) {
        byteBuf.writeBytes(value);
    }

    /** Writes {@code value} as a UTF-8 {@code string<fix>}, without any length. */
    public void writeStringFix(String value) {
        byteBuf.writeBytes(value.getBytes(UTF_8));
    }

    /** Writes raw bytes followed by a NUL terminator ({@code string<NUL>}). */
    public void writeBytesNul(byte[] value) {
        byteBuf.writeBytes(value);
        byteBuf.writeByte(0);
    }

    /** Writes a UTF-8 {@code string<NUL>}. */
    public void writeStringNul(String value) {
        writeStringNul(value, UTF_8);
    }

    /** Writes a {@code string<NUL>} in {@code charset}. */
    public void writeStringNul(String value, Charset charset) {
        writeBytesNul(value.getBytes(charset));
    }

    /** Writes raw bytes preceded by their {@code int<lenenc>} length ({@code string<lenenc>}). */
    public void writeBytesLenenc(byte[] value) {
        writeIntLenenc(value.length);
        byteBuf.writeBytes(value);
    }

    /** Writes a UTF-8 {@code string<lenenc>}. */
    public void writeStringLenenc(String value) {
        writeStringLenenc(value, UTF_8);
    }

    /** Writes a {@code string<lenenc>} in {@code charset}. */
    public void writeStringLenenc(String value, Charset charset) {
        writeBytesLenenc(value.getBytes(charset));
    }

    /** Writes a UTF-8 {@code string<EOF>}: the bytes alone, since the packet's end delimits them. */
    public void writeStringEOF(String value) {
        writeStringEOF(value, UTF_8);
    }

    /** Writes a {@code string<EOF>} in {@code charset}. */
    public void writeStringEOF(String value, Charset charset) {
        byteBuf.writeBytes(value.getBytes(charset));
    }

    /** Writes {@code length} zero bytes for reserved or filler fields. */
    public void writeReserved(int length) {
        byteBuf.writeZero(length);
    }

    private void require(int length, String type) {
        if (byteBuf.readableBytes() < length) {
            throw new MySQLProtocolException(
                    type + ": needs " + length + " bytes, " + byteBuf.readableBytes() + " left in the payload");
        }
    }
}
