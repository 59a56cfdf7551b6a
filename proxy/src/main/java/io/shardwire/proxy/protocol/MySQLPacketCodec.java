package io.shardwire.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageCodec;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.proxy.protocol.packet.generic.MySQLErrPacket;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MySQL <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html">packet
 * framing</a>, and nothing else: every packet on the wire is a 3-byte little-endian payload length, a 1-byte
 * sequence id and the payload.
 *
 * <p><b>Inbound</b>, the codec emits one {@link ByteBuf} per logical packet holding the payload alone. A payload of
 * 0xFFFFFF bytes or more travels as several pieces: a piece of exactly 0xFFFFFF bytes means another follows, and the
 * first shorter piece (possibly empty) ends the packet. The codec joins the pieces before emitting. The receiver
 * releases the buffer.
 *
 * <p><b>Size limit.</b> A logical packet longer than {@code maxPacketSize} is never buffered. As soon as a header
 * shows the overflow, the codec emits a {@link MySQLPacketTooLarge} marker in place of the packet and then discards
 * that packet's remaining bytes as they arrive; framing resumes with the packet after it. Answering (MySQL sends ERR
 * 1153 and closes) is up to the handler that receives the marker.
 *
 * <p><b>Outbound</b>, the codec accepts a {@link MySQLPacket}, which it lets write its payload behind a reserved
 * header, or a {@link ByteBuf} that already holds a complete payload (for relaying), which it releases. Payloads of
 * 0xFFFFFF bytes or more are split into pieces, with an empty last piece when the length is an exact multiple of
 * 0xFFFFFF. If a packet's {@code write} throws, its half-written bytes are dropped and an ERR packet (1105, HY000,
 * the exception's message) is sent in its place, so the client gets an answer and the stream stays well framed.
 * A {@link MySQLPacketBatch} is encoded packet by packet into one buffer (its sequence resets applied in place), then
 * released. Other messages pass through untouched.
 *
 * <p><b>Sequence ids</b> belong to the codec. Each decoded packet sets the next id to the id of its last piece plus
 * one, and each encoded piece takes the next id and increments it, modulo 256. A client starts every command at 0,
 * so following the client resets the count. Replies continue the sequence of the most recently decoded packet,
 * unless a handler writes a {@link MySQLSequenceReset} first: the command phase does so before each response, so
 * that commands a client pipelined (already decoded while an earlier one is answered) do not disturb the count.
 *
 * <p>One instance per channel; like every Netty codec it is used from the channel's event loop only.
 */
public final class MySQLPacketCodec extends ByteToMessageCodec<Object> {

    /** The largest piece; a piece of exactly this length means the packet continues in the next piece. */
    public static final int MAX_PIECE_LENGTH = 0xFFFFFF;

    private static final Logger LOG = LoggerFactory.getLogger(MySQLPacketCodec.class);
    private static final int HEADER_LENGTH = 4;

    private enum Phase {
        /** Waiting for the 4-byte header of the next piece. */
        READ_HEADER,
        /** Waiting for the whole body of a piece of a packet within the limit. */
        READ_PIECE,
        /** Throwing away the body of a piece of a packet over the limit. */
        SKIP_PIECE
    }

    private final int maxPacketSize;
    private Phase phase = Phase.READ_HEADER;
    private int pieceLength;
    private int skipRemaining;
    /** Whether the next header continues a packet that is being discarded. */
    private boolean discarding;
    /** The 0xFFFFFF-long pieces received so far of the current packet, or null before the first one. */
    private CompositeByteBuf pieces;
    private long piecesLength;
    private int nextSequenceId;

    /**
     * @param maxPacketSize the longest logical payload accepted from the peer, in bytes (MySQL's
     *     {@code max_allowed_packet})
     */
    public MySQLPacketCodec(int maxPacketSize) {
        if (maxPacketSize <= 0) {
            throw new IllegalArgumentException("maxPacketSize: " + maxPacketSize + " (expected: > 0)");
        }
        this.maxPacketSize = maxPacketSize;
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof MySQLPacket || msg instanceof ByteBuf || msg instanceof MySQLPacketBatch;
    }

    /** A {@link MySQLSequenceReset} is taken here: the encoder would allocate a buffer for it and pass on an empty one. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof MySQLSequenceReset reset) {
            nextSequenceId = reset.nextSequenceId() & 0xFF;
            promise.trySuccess();
            return;
        }
        super.write(ctx, msg, promise);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // A header is followed by its body at once: an empty piece (the tail of a packet that is an exact multiple
        // of 0xFFFFFF, or an empty packet) may be the last bytes received, and no further call would come for it.
        if (phase == Phase.READ_HEADER && !readHeader(in, out)) {
            return;
        }
        if (phase == Phase.READ_PIECE) {
            readPiece(ctx, in, out);
        } else {
            skipPiece(in);
        }
    }

    /** Reads a header if one is there, and says whether it was. */
    private boolean readHeader(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < HEADER_LENGTH) {
            return false;
        }
        int length = in.readUnsignedMediumLE();
        nextSequenceId = (in.readUnsignedByte() + 1) & 0xFF;
        if (!discarding && piecesLength + length > maxPacketSize) {
            out.add(new MySQLPacketTooLarge(piecesLength + length, maxPacketSize));
            releasePieces();
            discarding = true;
        }
        if (discarding) {
            discarding = length == MAX_PIECE_LENGTH;
            skipRemaining = length;
            phase = Phase.SKIP_PIECE;
        } else {
            pieceLength = length;
            phase = Phase.READ_PIECE;
        }
        return true;
    }

    private void readPiece(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < pieceLength) {
            return;
        }
        ByteBuf piece = in.readRetainedSlice(pieceLength);
        phase = Phase.READ_HEADER;
        if (pieceLength == MAX_PIECE_LENGTH) {
            if (pieces == null) {
                // Room for every piece of the largest packet allowed, so the composite never consolidates (copies).
                pieces = ctx.alloc().compositeBuffer(maxPacketSize / MAX_PIECE_LENGTH + 2);
            }
            pieces.addComponent(true, piece);
            piecesLength += pieceLength;
        } else if (pieces == null) {
            out.add(piece);
        } else {
            pieces.addComponent(true, piece);
            out.add(pieces);
            pieces = null;
            piecesLength = 0;
        }
    }

    private void skipPiece(ByteBuf in) {
        int skipped = Math.min(skipRemaining, in.readableBytes());
        in.skipBytes(skipped);
        skipRemaining -= skipped;
        if (skipRemaining == 0) {
            phase = Phase.READ_HEADER;
        }
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
        if (msg instanceof MySQLPacketBatch batch) {
            for (Object packet : batch.packets()) {
                if (packet instanceof MySQLSequenceReset reset) {
                    nextSequenceId = reset.nextSequenceId() & 0xFF;
                } else {
                    encodeOne(ctx, packet, out);
                }
            }
        } else {
            encodeOne(ctx, msg, out);
        }
    }

    private void encodeOne(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
        if (msg instanceof ByteBuf payload) {
            writePieces(payload, out);
        } else {
            encodePacket(ctx, (MySQLPacket) msg, out);
        }
    }

    private void encodePacket(ChannelHandlerContext ctx, MySQLPacket packet, ByteBuf out) {
        int start = out.writerIndex();
        out.writeZero(HEADER_LENGTH);
        try {
            packet.write(new MySQLPayload(out));
        } catch (RuntimeException e) {
            LOG.warn("{} failed to write itself; sending ERR 1105 instead", packet.getClass().getSimpleName(), e);
            out.writerIndex(start + HEADER_LENGTH);
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
            MySQLErrPacket.of(MySQLErrorCode.ER_UNKNOWN_ERROR, message).write(new MySQLPayload(out));
        }
        int length = out.writerIndex() - start - HEADER_LENGTH;
        if (length < MAX_PIECE_LENGTH) {
            out.setMediumLE(start, length);
            out.setByte(start + 3, nextSequenceId());
            return;
        }
        // Too long for one piece: headers must be inserted inside the payload, so move it aside and re-frame it.
        ByteBuf payload = ctx.alloc().buffer(length);
        try {
            payload.writeBytes(out, start + HEADER_LENGTH, length);
            out.writerIndex(start);
            writePieces(payload, out);
        } finally {
            payload.release();
        }
    }

    private void writePieces(ByteBuf payload, ByteBuf out) {
        int length;
        do {
            length = Math.min(payload.readableBytes(), MAX_PIECE_LENGTH);
            out.writeMediumLE(length);
            out.writeByte(nextSequenceId());
            out.writeBytes(payload, length);
        } while (length == MAX_PIECE_LENGTH);
    }

    private int nextSequenceId() {
        int sequenceId = nextSequenceId;
        nextSequenceId = (nextSequenceId + 1) & 0xFF;
        return sequenceId;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        releasePieces();
        super.handlerRemoved(ctx);
    }

    private void releasePieces() {
        if (pieces != null) {
            pieces.release();
            pieces = null;
        }
        piecesLength = 0;
    }
}
