package io.shardwire.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.constant.MySQLCharacterSet;
import io.shardwire.proxy.protocol.constant.MySQLColumnType;
import io.shardwire.proxy.protocol.constant.TextCharset;
import io.shardwire.proxy.protocol.packet.resultset.MySQLColumnDefinition41Packet;
import io.shardwire.proxy.session.ResultsCharset;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Converts one result's text columns to the session's results charset, as MariaDB does with
 * {@code character_set_results} set: each text column is described with that charset's collation and a length
 * scaled to its widest character, and its values are re-encoded when the column's charset encodes differently
 * ({@code latin1} to UTF-8 for a utf8mb4 client; utf8mb3 to utf8mb4 is the same bytes). Binary columns, columns of
 * charsets the proxy does not know, and every column of a session with results {@code NULL} stay as the backend sent
 * them.
 */
final class ResultTranscoder {

    /** Changes nothing. */
    static final ResultTranscoder NONE = new ResultTranscoder(null, new int[0], new Charset[0], new Charset[0], false);

    /** The session's results charset, or null for {@link #NONE}. */
    private final ResultsCharset target;
    /** Per column: the bytes its charset's widest character takes, or 0 for a column described as the backend did. */
    private final int[] widest;
    /** Per column: the charset its values are decoded from to be re-encoded, or null to keep their bytes. */
    private final Charset[] from;
    /** Per column: the charset of the client's description of it, for values the proxy makes. */
    private final Charset[] described;
    private final boolean changesValues;

    private ResultTranscoder(ResultsCharset target, int[] widest, Charset[] from, Charset[] described,
                             boolean changesValues) {
        this.target = target;
        this.widest = widest;
        this.from = from;
        this.described = described;
        this.changesValues = changesValues;
    }

    /**
     * The transcoding of a result whose columns have these collation ids, for a session sending results in
     * {@code results} (empty: unconverted).
     */
    static ResultTranscoder of(int[] columnCollations, Optional<ResultsCharset> results) {
        if (results.isEmpty()) {
            return NONE;
        }
        ResultsCharset target = results.get();
        int columns = columnCollations.length;
        int[] widest = new int[columns];
        Charset[] from = new Charset[columns];
        Charset[] described = new Charset[columns];
        boolean changesDefinitions = false;
        boolean changesValues = false;
        for (int i = 0; i < columns; i++) {
            described[i] = StandardCharsets.UTF_8;
            Optional<TextCharset> source = columnCollations[i] == MySQLCharacterSet.BINARY ? Optional.empty()
                    : TextCharset.ofCollation(columnCollations[i]);
            if (source.isEmpty()) {
                continue;
            }
            TextCharset charset = source.get();
            widest[i] = charset.maxBytes();
            described[i] = target.charset().java();
            changesDefinitions = true;
            if (!charset.java().equals(target.charset().java())) {
                from[i] = charset.java();
                changesValues = true;
            }
        }
        return changesDefinitions ? new ResultTranscoder(target, widest, from, described, changesValues) : NONE;
    }

    /** Whether row values change: rows cannot be passed on as the backend sent them. */
    boolean changesValues() {
        return changesValues;
    }

    /**
     * The client's description of column {@code column}, given the backend's (already under logical names). Its length
     * is MariaDB's: a TEXT column's bytes times the widest character (every charset here takes one byte at least),
     * another column's characters times the widest character, at most 2^32 - 1.
     */
    MySQLColumnDefinition41Packet definition(int column, MySQLColumnDefinition41Packet backend) {
        if (column >= widest.length || widest[column] == 0) {
            return backend;
        }
        boolean text = backend.type() >= MySQLColumnType.TINY_BLOB.value() && backend.type() <= MySQLColumnType.BLOB.value();
        long characters = text ? backend.columnLength() : backend.columnLength() / widest[column];
        long length = Math.min(characters * target.charset().maxBytes(), 0xFFFF_FFFFL);
        if (length == backend.columnLength() && target.collation() == backend.characterSet()) {
            return backend;
        }
        return new MySQLColumnDefinition41Packet(backend.schema(), backend.table(), backend.orgTable(), backend.name(),
                backend.orgName(), target.collation(), length, backend.type(), backend.flags(),
                backend.decimals());
    }

    /** Column {@code column}'s value for the client; null (SQL NULL) stays null, and so do ASCII bytes. */
    byte[] value(int column, byte[] value) {
        if (value == null || column >= from.length || from[column] == null || isAscii(value)) {
            return value;
        }
        return new String(value, from[column]).getBytes(target.charset().java());
    }

    /** Column {@code column}'s value, a string the proxy made, in the bytes the client reads it in. */
    byte[] encode(int column, String value) {
        if (value == null) {
            return null;
        }
        return value.getBytes(column < described.length ? described[column] : StandardCharsets.UTF_8);
    }

    /**
     * A text-protocol row payload for the client: {@code row} itself when no value changes (ASCII text reads the same
     * in every charset converted here), else a new buffer, and {@code row} is released.
     */
    ByteBuf textRow(ByteBuf row) {
        if (!changesValues) {
            return row;
        }
        RowCopy copy = new RowCopy(row);
        int at = row.readerIndex();
        for (int i = 0; at < row.writerIndex(); i++) {
            at = copy.lengthEncoded(i, at);
        }
        return copy.result();
    }

    /**
     * A binary-protocol row payload for the client, its columns of these type ids; as {@link #textRow}, {@code row}
     * itself when no value changes.
     */
    ByteBuf binaryRow(ByteBuf row, int[] types) {
        if (!changesValues) {
            return row;
        }
        RowCopy copy = new RowCopy(row);
        int nulls = row.readerIndex() + 1;
        int at = nulls + (types.length + 7 + 2) / 8;
        for (int i = 0; i < types.length; i++) {
            int bit = i + 2;
            if ((row.getByte(nulls + bit / 8) & (1 << (bit % 8))) != 0) {
                continue;
            }
            int fixed = fixedLength(types[i]);
            at = fixed >= 0 ? at + fixed : fixed == TEMPORAL ? at + 1 + row.getUnsignedByte(at) : copy.lengthEncoded(i, at);
        }
        return copy.result();
    }

    /** A row payload copied into a new buffer from its first changed value on; nothing is copied while none changed. */
    private final class RowCopy {
        private final ByteBuf row;
        private ByteBuf out;
        /** Where the bytes not yet copied start. */
        private int pending;

        RowCopy(ByteBuf row) {
            this.row = row;
            this.pending = row.readerIndex();
        }

        /** Passes the length-encoded value of column {@code column} at {@code at}; returns the offset after it. */
        int lengthEncoded(int column, int at) {
            int first = row.getUnsignedByte(at);
            if (first == 0xFB) {
                return at + 1;
            }
            int header = first < 0xFB ? 1 : first == 0xFC ? 3 : first == 0xFD ? 4 : 9;
            long length = first < 0xFB ? first : first == 0xFC ? row.getUnsignedShortLE(at + 1)
                    : first == 0xFD ? row.getUnsignedMediumLE(at + 1) : row.getLongLE(at + 1);
            int end = Math.toIntExact(at + header + length);
            if (column < from.length && from[column] != null && !isAscii(row, at + header, end)) {
                byte[] converted = new String(ByteBufUtil.getBytes(row, at + header, end - at - header), from[column])
                        .getBytes(target.charset().java());
                if (out == null) {
                    out = row.alloc().buffer(row.readableBytes() + converted.length);
                }
                out.writeBytes(row, pending, at - pending);
                new MySQLPayload(out).writeBytesLenenc(converted);
                pending = end;
            }
            return end;
        }

        ByteBuf result() {
            if (out == null) {
                return row;
            }
            out.writeBytes(row, pending, row.writerIndex() - pending);
            row.release();
            return out;
        }
    }

    private static boolean isAscii(byte[] value) {
        for (byte b : value) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(ByteBuf buffer, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer.getByte(i) < 0) {
                return false;
            }
        }
        return true;
    }

    private static final int LENGTH_ENCODED = -1;
    private static final int TEMPORAL = -2;

    /** The bytes a binary value of this type takes, or how its length is given. */
    private static int fixedLength(int type) {
        return switch (MySQLColumnType.of(type).orElse(MySQLColumnType.BLOB)) {
            case TINY -> 1;
            case SHORT, YEAR -> 2;
            case INT24, LONG, FLOAT -> 4;
            case LONGLONG, DOUBLE -> 8;
            case DATE, DATETIME, TIMESTAMP, TIME -> TEMPORAL;
            default -> LENGTH_ENCODED;
        };
    }
}
