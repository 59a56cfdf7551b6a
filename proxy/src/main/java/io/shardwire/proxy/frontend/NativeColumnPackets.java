package io.shardwire.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.packet.resultset.MySQLColumnDefinition41Packet;
import io.shardwire.router.rule.LogicalNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's column definition payloads of a connection's last native result, by position, kept with the backend's
 * payloads they were made from: a client repeating one statement gets the same bytes again without their names being
 * mapped back to logical ones and the packet encoded at every execute. Both are kept as heap copies, so nothing
 * pooled outlives the result.
 *
 * <p>Not thread-safe: one per client connection, used from its event loop.
 */
final class NativeColumnPackets {

    private final LogicalNames names;
    private final List<byte[]> backend = new ArrayList<>();
    private final List<byte[]> client = new ArrayList<>();

    NativeColumnPackets(LogicalNames names) {
        this.names = names;
    }

    /** The client's payload for the backend's column definition at {@code index}; releases {@code backendPayload}. */
    ByteBuf clientPayload(int index, ByteBuf backendPayload) {
        try {
            if (index < backend.size() && sameBytes(backend.get(index), backendPayload)) {
                return Unpooled.wrappedBuffer(client.get(index));
            }
            MySQLColumnDefinition41Packet packet = ColumnDefinitions.of(
                    MySQLColumnDefinition41Packet.read(new MySQLPayload(backendPayload.duplicate())), names);
            ByteBuf encoded = Unpooled.buffer();
            packet.write(new MySQLPayload(encoded));
            byte[] clientBytes = ByteBufUtil.getBytes(encoded);
            byte[] backendBytes = ByteBufUtil.getBytes(backendPayload);
            if (index < backend.size()) {
                backend.set(index, backendBytes);
                client.set(index, clientBytes);
            } else {
                backend.add(backendBytes);
                client.add(clientBytes);
            }
            return Unpooled.wrappedBuffer(clientBytes);
        } finally {
            backendPayload.release();
        }
    }

    private static boolean sameBytes(byte[] kept, ByteBuf payload) {
        int length = payload.readableBytes();
        if (kept.length != length) {
            return false;
        }
        int start = payload.readerIndex();
        for (int i = 0; i < length; i++) {
            if (kept[i] != payload.getByte(start + i)) {
                return false;
            }
        }
        return true;
    }
}
