package io.shardwire.proxy.protocol;

import static io.shardwire.proxy.protocol.PacketBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.shardwire.proxy.protocol.packet.generic.MySQLOKPacket;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MySQLPacketCodecTest {

    private static final int MAX_PIECE = 0xFFFFFF;

    private EmbeddedChannel channel = new EmbeddedChannel(new MySQLPacketCodec(64 << 20));

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    /** Payload bytes whose values depend on the position, so that misplaced bytes show. */
    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + i / 251);
        }
        return bytes;
    }

    private static byte[] header(int length, int sequenceId) {
        return new byte[] {(byte) length, (byte) (length >> 8), (byte) (length >> 16), (byte) sequenceId};
    }

    private static ByteBuf frame(int sequenceId, byte[] payload) {
        return Unpooled.wrappedBuffer(header(payload.length, sequenceId), payload);
    }

    private Object nextInbound() {
        return channel.readInbound();
    }

    private Object nextOutbound() {
        return channel.readOutbound();
    }

    private byte[] readInboundPayload() {
        ByteBuf payload = channel.readInbound();
        assertThat(payload).as("decoded packet").isNotNull();
        try {
            return ByteBufUtil.getBytes(payload);
        } finally {
            payload.release();
        }
    }

    private byte[] readOutboundBytes() {
        ByteBuf frame = channel.readOutbound();
        assertThat(frame).as("encoded packet").isNotNull();
        try {
            return ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
    }

    @Test
    void decodesOnePacketAndAnswersWithTheNextSequenceId() {
        channel.writeInbound(Unpooled.wrappedBuffer(hex("05 00 00 07 03 73 65 6c 65")));

        assertThat(readInboundPayload()).isEqualTo(hex("03 73 65 6c 65"));
        channel.writeOutbound(MySQLOKPacket.of(2));
        assertThat(readOutboundBytes()).isEqualTo(hex("07 00 00 08 00 00 00 02 00 00 00"));
    }

    @Test
    void waitsForHeaderAndBodySplitAcrossReads() {
        channel.writeInbound(Unpooled.wrappedBuffer(hex("03 00")));
        channel.writeInbound(Unpooled.wrappedBuffer(hex("00 00 01")));
        assertThat(nextInbound()).isNull();

        channel.writeInbound(Unpooled.wrappedBuffer(hex("02 03 01 00 00 01 0e")));

        assertThat(readInboundPayload()).isEqualTo(hex("01 02 03"));
        assertThat(readInboundPayload()).isEqualTo(hex("0e"));
        assertThat(nextInbound()).isNull();
    }

    @Test
    void decodesAnEmptyPacket() {
        channel.writeInbound(Unpooled.wrappedBuffer(hex("00 00 00 03")));

        assertThat(readInboundPayload()).isEmpty();
    }

    @Test
    void joinsAPayloadOfExactlyMaxPieceWithItsEmptyTail() {
        byte[] payload = pattern(MAX_PIECE);
        channel.writeInbound(frame(0, payload));
        assertThat(nextInbound()).as("nothing before the tail").isNull();

        channel.writeInbound(frame(1, new byte[0]));

        assertThat(readInboundPayload()).isEqualTo(payload);
        channel.writeOutbound(MySQLOKPacket.of(0));
        assertThat(readOutboundBytes()[3]).as("sequence id after the tail").isEqualTo((byte) 2);
    }

    @Test
    void joinsA16MiBPlus5Payload() {
        byte[] payload = pattern((16 << 20) + 5);
        channel.writeInbound(frame(0, Arrays.copyOf(payload, MAX_PIECE)),
                frame(1, Arrays.copyOfRange(payload, MAX_PIECE, payload.length)));

        assertThat(readInboundPayload()).isEqualTo(payload);
        assertThat(nextInbound()).isNull();
    }

    @Test
    void encodesAByteBufPayloadOfExactlyMaxPieceWithAnEmptyTail() {
        byte[] payload = pattern(MAX_PIECE);
        channel.writeOutbound(Unpooled.wrappedBuffer(payload));

        byte[] frames = readOutboundBytes();
        assertThat(frames).hasSize(4 + MAX_PIECE + 4);
        assertThat(Arrays.copyOf(frames, 4)).isEqualTo(hex("ff ff ff 00"));
        assertThat(Arrays.copyOfRange(frames, 4, 4 + MAX_PIECE)).isEqualTo(payload);
        assertThat(Arrays.copyOfRange(frames, 4 + MAX_PIECE, frames.length)).isEqualTo(hex("00 00 00 01"));
    }

    @Test
    void splitsA16MiBPlus5PacketIntoAFullPieceAndATail() {
        byte[] payload = pattern((16 << 20) + 5);
        channel.writeOutbound((MySQLPacket) out -> out.writeBytes(payload));

        byte[] frames = readOutboundBytes();
        assertThat(frames).hasSize(payload.length + 8);
        assertThat(Arrays.copyOf(frames, 4)).isEqualTo(hex("ff ff ff 00"));
        assertThat(Arrays.copyOfRange(frames, 4, 4 + MAX_PIECE)).isEqualTo(Arrays.copyOf(payload, MAX_PIECE));
        assertThat(Arrays.copyOfRange(frames, 4 + MAX_PIECE, 8 + MAX_PIECE)).isEqualTo(hex("06 00 00 01"));
        assertThat(Arrays.copyOfRange(frames, 8 + MAX_PIECE, frames.length))
                .isEqualTo(Arrays.copyOfRange(payload, MAX_PIECE, payload.length));
    }

    @Test
    void encodedPiecesRoundTripThroughTheDecoder() {
        byte[] payload = pattern(2 * MAX_PIECE);
        channel.writeOutbound(Unpooled.wrappedBuffer(payload));
        ByteBuf frames = channel.readOutbound();

        EmbeddedChannel peer = new EmbeddedChannel(new MySQLPacketCodec(64 << 20));
        peer.writeInbound(frames);
        ByteBuf decoded = peer.readInbound();
        try {
            assertThat(ByteBufUtil.getBytes(decoded)).isEqualTo(payload);
        } finally {
            decoded.release();
            peer.finishAndReleaseAll();
        }
    }

    @Test
    void sequenceIdsIncrementPerPieceAndWrapAt256() {
        channel.writeInbound(frame(0xFE, hex("0e")));
        readInboundPayload();

        channel.writeOutbound(MySQLOKPacket.of(0), MySQLOKPacket.of(0));

        assertThat(readOutboundBytes()[3]).isEqualTo((byte) 0xFF);
        assertThat(readOutboundBytes()[3]).isEqualTo((byte) 0x00);
    }

    @Test
    void aNewCommandRestartsTheSequence() {
        channel.writeInbound(frame(5, hex("0e")));
        readInboundPayload();
        channel.writeInbound(frame(0, hex("0e")));
        readInboundPayload();

        channel.writeOutbound(MySQLOKPacket.of(0));

        assertThat(readOutboundBytes()[3]).isEqualTo((byte) 1);
    }

    @Test
    void aSequenceResetWritesNothingAndSetsTheNextPacketsId() {
        // Two pipelined commands decoded before the first is answered: the count follows the later one.
        channel.writeInbound(frame(0, hex("0e")), frame(0, hex("0e")));
        readInboundPayload();
        readInboundPayload();
        channel.writeOutbound(MySQLOKPacket.of(0));
        readOutboundBytes();

        channel.writeOutbound(MySQLSequenceReset.COMMAND_RESPONSE);
        assertThat(nextOutbound()).as("nothing written for the reset").isNull();
        channel.writeOutbound(Unpooled.wrappedBuffer(hex("0e")));

        assertThat(readOutboundBytes()).isEqualTo(hex("01 00 00 01 0e"));
    }

    @Test
    void acceptsAPacketOfExactlyMaxPacketSize() {
        channel = new EmbeddedChannel(new MySQLPacketCodec(10));
        channel.writeInbound(frame(0, pattern(10)));

        assertThat(readInboundPayload()).isEqualTo(pattern(10));
    }

    @Test
    void replacesAnOversizePacketWithAMarkerAndSkipsItsBytesAsTheyArrive() {
        channel = new EmbeddedChannel(new MySQLPacketCodec(10));
        ByteBuf first = frame(0, pattern(11));
        channel.writeInbound(first.readRetainedSlice(6));

        assertThat(nextInbound()).isEqualTo(new MySQLPacketTooLarge(11, 10));

        channel.writeInbound(first, frame(0, hex("0e")));
        assertThat(readInboundPayload()).isEqualTo(hex("0e"));
        assertThat(nextInbound()).isNull();
        channel.writeOutbound(MySQLOKPacket.of(0));
        assertThat(readOutboundBytes()[3]).isEqualTo((byte) 1);
    }

    @Test
    void discardsEveryPieceOfAnOversizeMultiPiecePacket() {
        channel = new EmbeddedChannel(new MySQLPacketCodec(MAX_PIECE + 2));
        channel.writeInbound(frame(0, pattern(MAX_PIECE)), frame(1, pattern(MAX_PIECE)), frame(2, pattern(3)),
                frame(0, hex("0e")));

        assertThat(nextInbound()).isEqualTo(new MySQLPacketTooLarge(2L * MAX_PIECE, MAX_PIECE + 2));
        assertThat(readInboundPayload()).isEqualTo(hex("0e"));
        assertThat(nextInbound()).isNull();
    }

    @Test
    void reportsOverflowOnTheTailPieceWithTheLengthSoFar() {
        channel = new EmbeddedChannel(new MySQLPacketCodec(MAX_PIECE + 2));
        channel.writeInbound(frame(0, pattern(MAX_PIECE)), frame(1, pattern(3)), frame(0, hex("0e")));

        assertThat(nextInbound()).isEqualTo(new MySQLPacketTooLarge(MAX_PIECE + 3L, MAX_PIECE + 2));
        assertThat(readInboundPayload()).isEqualTo(hex("0e"));
    }

    @Test
    void sendsErr1105InsteadOfAPacketWhoseWriteFails() {
        channel.writeInbound(frame(0, hex("03")));
        readInboundPayload();

        channel.writeOutbound((MySQLPacket) out -> {
            out.writeStringEOF("half written");
            throw new IllegalStateException("boom");
        });

        // ERR 1105 (0x0451), '#', "HY000", "boom"
        assertThat(readOutboundBytes()).isEqualTo(hex("0d 00 00 01 ff 51 04 23 48 59 30 30 30 62 6f 6f 6d"));
    }

    @Test
    void releasesPendingPiecesWhenTheChannelCloses() {
        ByteBuf input = Unpooled.buffer(4 + MAX_PIECE);
        input.writeBytes(header(MAX_PIECE, 0)).writeZero(MAX_PIECE);
        channel.writeInbound(input);

        channel.finishAndReleaseAll();

        assertThat(input.refCnt()).isZero();
    }

    @Test
    void encodesABatchIntoOneBufferNumberingItsPacketsInOrder() {
        channel.writeInbound(frame(0, hex("17")), frame(0, hex("0e")));
        readInboundPayload();
        readInboundPayload();
        MySQLPacketBatch batch = new MySQLPacketBatch();
        batch.add(MySQLSequenceReset.COMMAND_RESPONSE);
        batch.add(Unpooled.wrappedBuffer(hex("01")));
        batch.add(MySQLOKPacket.of(0));
        channel.writeOutbound(batch);

        assertThat(readOutboundBytes()).isEqualTo(hex("01 00 00 01 01  07 00 00 02 00 00 00 00 00 00 00"));
        assertThat(nextOutbound()).as("one buffer for the whole batch").isNull();
        channel.writeOutbound(MySQLOKPacket.of(0));
        assertThat(readOutboundBytes()[3]).as("the count goes on after the batch").isEqualTo((byte) 3);
    }

    @Test
    void aBatchReleasesItsPayloadsWhetherWrittenOrNot() {
        ByteBuf written = Unpooled.wrappedBuffer(hex("01"));
        MySQLPacketBatch batch = new MySQLPacketBatch();
        batch.add(written);
        channel.writeOutbound(batch);
        readOutboundBytes();
        ByteBuf dropped = Unpooled.wrappedBuffer(hex("02"));
        MySQLPacketBatch unsent = new MySQLPacketBatch();
        unsent.add(dropped);
        unsent.release();

        assertThat(written.refCnt()).isZero();
        assertThat(batch.refCnt()).isZero();
        assertThat(dropped.refCnt()).isZero();
    }

    @Test
    void aBatchRefusesWhatIsNotAPacket() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new MySQLPacketBatch().add("not a packet"))
                .withMessage("not a packet: java.lang.String");
    }

    @Test
    void passesOtherOutboundMessagesThrough() {
        channel.writeOutbound("not a packet");

        assertThat(nextOutbound()).isEqualTo("not a packet");
    }

    @Test
    void rejectsANonPositiveLimit() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new MySQLPacketCodec(0))
                .withMessage("maxPacketSize: 0 (expected: > 0)");
    }
}
