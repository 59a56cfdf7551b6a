package io.shardwire.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import java.util.ArrayList;
import java.util.List;

/**
 * Several outbound packets that {@link MySQLPacketCodec} encodes into one buffer, in order: a small response relayed
 * packet by packet (a point select's column count, definition, row and end) then passes the pipeline once and takes
 * one buffer and one entry of the channel's outbound buffer instead of one of each per packet. It holds what the codec
 * accepts on its own: {@link MySQLPacket}s, {@link ByteBuf} payloads (owned by the batch: released with it, whether
 * it was written or not) and {@link MySQLSequenceReset}s.
 *
 * <p>Not thread-safe: filled by one thread, then written.
 */
public final class MySQLPacketBatch extends AbstractReferenceCounted {

    private final List<Object> packets = new ArrayList<>();

    /** Appends a packet; a {@link ByteBuf} payload now belongs to the batch. */
    public void add(Object packet) {
        if (!(packet instanceof MySQLPacket || packet instanceof ByteBuf || packet instanceof MySQLSequenceReset)) {
            throw new IllegalArgumentException("not a packet: " + packet.getClass().getName());
        }
        packets.add(packet);
    }

    /** How many packets it holds. */
    public int size() {
        return packets.size();
    }

    /** The packets in order, for the codec. */
    List<Object> packets() {
        return packets;
    }

    @Override
    protected void deallocate() {
        for (Object packet : packets) {
            if (packet instanceof ByteBuf payload) {
                payload.release();
            }
        }
        packets.clear();
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        return this;
    }
}
