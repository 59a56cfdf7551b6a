package io.shardwire.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPacketBatch;
import io.shardwire.proxy.protocol.MySQLPacketCodec;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.MySQLSequenceReset;
import io.shardwire.proxy.protocol.binary.MySQLBinaryResultSetRowPacket;
import io.shardwire.proxy.protocol.binary.MySQLTextToBinary;
import io.shardwire.proxy.protocol.constant.MySQLColumnType;
import io.shardwire.proxy.protocol.packet.generic.MySQLOKPacket;
import io.shardwire.proxy.protocol.packet.resultset.MySQLTextResultSetRowPacket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wire: a client's COM_QUERY packet through the frame decoder, a row packet through the encoder
 * (text and binary protocol), the text-to-binary value conversion a prepared statement's merged
 * rows need, and a native point select's response relayed to the client (column count, column
 * definition and row as the backend sent them, then the end OK) packet by packet or as one
 * {@link MySQLPacketBatch}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PacketBenchmark {

    private static final byte[] QUERY = "\u0003SELECT c FROM sbtest1 WHERE id=50123".getBytes(StandardCharsets.US_ASCII);
    private static final int[] ROW_TYPES = {MySQLColumnType.LONG.value(), MySQLColumnType.LONG.value(),
            MySQLColumnType.STRING.value(), MySQLColumnType.STRING.value()};

    private EmbeddedChannel channel;
    private ByteBuf framedQuery;
    private byte[][] textRow;
    private byte[][] binaryRow;
    private ByteBuf out;
    private ByteBuf columnCount;
    private ByteBuf columnDefinition;
    private ByteBuf row;

    @Setup(Level.Trial)
    public void setUp() {
        channel = new EmbeddedChannel(new MySQLPacketCodec(16 * 1024 * 1024));
        framedQuery = ByteBufAllocator.DEFAULT.buffer(4 + QUERY.length);
        framedQuery.writeMediumLE(QUERY.length).writeByte(0).writeBytes(QUERY);
        textRow = new byte[][] {ascii("50123"), ascii("49872"),
                ascii("83868641912-28773972837-60736120486-75162659906-27563526494-20381887404-41576422241-93426793964-56405065102-33518432330"),
                ascii("67847967377-48000963322-62604785301-91415491898-96926520291")};
        binaryRow = new byte[textRow.length][];
        for (int i = 0; i < textRow.length; i++) {
            binaryRow[i] = MySQLTextToBinary.convert(ROW_TYPES[i], 0, textRow[i]);
        }
        out = ByteBufAllocator.DEFAULT.buffer(512);
        columnCount = ByteBufAllocator.DEFAULT.directBuffer(1).writeByte(1);
        columnDefinition = ByteBufAllocator.DEFAULT.directBuffer(64);
        columnDefinition.writeBytes("\u0003def\u0006sbtest\u0007sbtest1\u0007sbtest1\u0001c\u0001c\f\u0008\u0000x\u0001\u0000\u0000\u00fe\u0001\u0010\u0000\u0000\u0000"
                .getBytes(StandardCharsets.ISO_8859_1));
        row = ByteBufAllocator.DEFAULT.directBuffer(128);
        row.writeByte(0).writeByte(0).writeByte(textRow[2].length).writeBytes(textRow[2]);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        framedQuery.release();
        out.release();
        columnCount.release();
        columnDefinition.release();
        row.release();
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public Object decodeComQuery() {
        channel.writeInbound(framedQuery.retainedDuplicate());
        Object packet = channel.readInbound();
        io.netty.util.ReferenceCountUtil.release(packet);
        return packet;
    }

    @Benchmark
    public int encodeTextRow() {
        return write(new MySQLTextResultSetRowPacket(textRow));
    }

    @Benchmark
    public int encodeBinaryRow() {
        return write(new MySQLBinaryResultSetRowPacket(ROW_TYPES, binaryRow));
    }

    @Benchmark
    public int relayPointSelectPacketByPacket() {
        channel.write(MySQLSequenceReset.COMMAND_RESPONSE);
        channel.write(columnCount.retainedDuplicate());
        channel.write(columnDefinition.retainedDuplicate());
        channel.write(row.retainedDuplicate());
        channel.write(MySQLOKPacket.endOfResultSet(0, 2));
        return drainOutbound();
    }

    @Benchmark
    public int relayPointSelectAsBatch() {
        MySQLPacketBatch batch = new MySQLPacketBatch();
        batch.add(MySQLSequenceReset.COMMAND_RESPONSE);
        batch.add(columnCount.retainedDuplicate());
        batch.add(columnDefinition.retainedDuplicate());
        batch.add(row.retainedDuplicate());
        batch.add(MySQLOKPacket.endOfResultSet(0, 2));
        channel.write(batch);
        return drainOutbound();
    }

    /** Flushes what the codec encoded and releases it, as the socket would: the bytes sent. */
    private int drainOutbound() {
        channel.flush();
        int bytes = 0;
        ByteBuf encoded;
        while ((encoded = channel.readOutbound()) != null) {
            bytes += encoded.readableBytes();
            encoded.release();
        }
        return bytes;
    }

    @Benchmark
    public byte[] convertTextToBinaryInt() {
        return MySQLTextToBinary.convert(MySQLColumnType.LONG.value(), 0, textRow[0]);
    }

    private int write(MySQLPacket packet) {
        out.clear();
        packet.write(new MySQLPayload(out));
        return out.writerIndex();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
