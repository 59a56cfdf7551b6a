package io.shardwire.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.packet.resultset.MySQLColumnDefinition41Packet;
import io.shardwire.router.rule.LogicalNames;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The client's column definition payloads of a connection's native results, by the backend's payload they were made
 * from: a client running the same statements again (sysbench's point selects over several tables) gets the same bytes
 * without their names being mapped back to logical ones and the packet encoded at every execute. Both are kept as
 * heap copies, so nothing pooled outlives a result; at most {@value #MAX_KEPT} per connection. The column's name and
 * original name keep the backend's bytes: they are in the connection's results charset (the session's SET NAMES),
 * which the names mapped back here, decoded as UTF-8, need not be in.
 *
 * <p>Not thread-safe: one per client connection, used from its event loop.
 */
final class NativeColumnPackets {

    /** Column definitions kept per connection; past this the kept ones are dropped and the count starts again. */
    static final int MAX_KEPT = 64;

    private final LogicalNames names;
    /** Backend payload (its bytes: a ByteBuffer's equality is its content's) -> the client's payload. */
    private final Map<ByteBuffer, byte[]> kept = new HashMap<>();

    NativeColumnPackets(LogicalNames names) {
        this.names = names;
    }

    /** The client's payload for a backend column definition payload; releases {@code backendPayload}. */
    ByteBuf clientPayload(ByteBuf backendPayload) {
        try {
            byte[] known = kept.get(backendPayload.nioBuffer());
            if (known != null) {
                return Unpooled.wrappedBuffer(known);
            }
            MySQLColumnDefinition41Packet packet = ColumnDefinitions.of(
                    MySQLColumnDefinition41Packet.read(new MySQLPayload(backendPayload.duplicate())), names);
            ByteBuf encoded = Unpooled.buffer();
            packet.write(new MySQLPayload(encoded));
            byte[] backendBytes = ByteBufUtil.getBytes(backendPayload);
            byte[] clientBytes = withBackendNames(ByteBufUtil.getBytes(encoded), backendBytes);
            if (kept.size() >= MAX_KEPT) {
                kept.clear();
            }
            kept.put(ByteBuffer.wrap(backendBytes), clientBytes);
            return Unpooled.wrappedBuffer(clientBytes);
        } finally {
            backendPayload.release();
        }
    }

    /** {@code mapped} with its name and original name (the 5th and 6th strings) as they are in {@code backend}. */
    private static byte[] withBackendNames(byte[] mapped, byte[] backend) {
        int mappedNames = afterStrings(mapped, 0, 4);
        int mappedRest = afterStrings(mapped, mappedNames, 2);
        int backendNames = afterStrings(backend, 0, 4);
        int backendRest = afterStrings(backend, backendNames, 2);
        byte[] spliced = new byte[mappedNames + (backendRest - backendNames) + (mapped.length - mappedRest)];
        System.arraycopy(mapped, 0, spliced, 0, mappedNames);
        System.arraycopy(backend, backendNames, spliced, mappedNames, backendRest - backendNames);
        System.arraycopy(mapped, mappedRest, spliced, mappedNames + backendRest - backendNames, mapped.length - mappedRest);
        return spliced;
    }

    /** The offset after {@code count} length-encoded strings from {@code offset}. */
    private static int afterStrings(byte[] payload, int offset, int count) {
        MySQLPayload reader = new MySQLPayload(Unpooled.wrappedBuffer(payload, offset, payload.length - offset));
        for (int i = 0; i < count; i++) {
            reader.readBytesLenenc();
        }
        return payload.length - reader.readableBytes();
    }
}
