package io.shardwire.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.packet.resultset.MySQLColumnDefinition41Packet;
import io.shardwire.proxy.session.ResultsCharset;
import io.shardwire.router.rule.LogicalNames;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The client's column definition payloads of a connection's native results, by the backend's payload they were made
 * from: a client running the same statements again (sysbench's point selects over several tables) gets the same bytes
 * without their names being mapped back to logical ones and the packet encoded at every execute. Both are kept as
 * heap copies, so nothing pooled outlives a result; at most {@value #MAX_KEPT} per connection. The column's name and
 * original name keep the backend's bytes (UTF-8: the backends send results unconverted), re-encoded in the session's
 * results charset when that is another (a latin1 alias reaches a latin1 client in latin1, as from MariaDB). A text
 * column is described in the session's results charset ({@link ResultTranscoder#definition}); the kept payloads are
 * dropped when that changes.
 *
 * <p>Not thread-safe: one per client connection, used from its event loop.
 */
final class NativeColumnPackets {

    /** Column definitions kept per connection; past this the kept ones are dropped and the count starts again. */
    static final int MAX_KEPT = 64;

    private final LogicalNames names;
    /** Backend payload (its bytes: a ByteBuffer's equality is its content's) -> the client's column. */
    private final Map<ByteBuffer, Kept> kept = new HashMap<>();
    /** The results charset the kept payloads describe text columns in. */
    private Optional<ResultsCharset> keptFor = Optional.empty();

    /** A client's column definition payload, and the backend's collation id and type of the column. */
    record Column(ByteBuf payload, int collation, int type) {
    }

    private record Kept(byte[] payload, int collation, int type) {
    }

    NativeColumnPackets(LogicalNames names) {
        this.names = names;
    }

    /**
     * The client's column for a backend column definition payload, for a session with these results charsets;
     * releases {@code backendPayload}.
     */
    Column clientColumn(ByteBuf backendPayload, Optional<ResultsCharset> results) {
        try {
            if (!results.equals(keptFor)) {
                kept.clear();
                keptFor = results;
            }
            Kept known = kept.get(backendPayload.nioBuffer());
            if (known != null) {
                return new Column(Unpooled.wrappedBuffer(known.payload()), known.collation(), known.type());
            }
            MySQLColumnDefinition41Packet backend =
                    MySQLColumnDefinition41Packet.read(new MySQLPayload(backendPayload.duplicate()));
            MySQLColumnDefinition41Packet packet = ResultTranscoder.of(new int[] {backend.characterSet()}, results)
                    .definition(0, ColumnDefinitions.of(backend, names));
            ByteBuf encoded = Unpooled.buffer();
            packet.write(new MySQLPayload(encoded));
            byte[] backendBytes = ByteBufUtil.getBytes(backendPayload);
            byte[] clientBytes = withBackendNames(ByteBufUtil.getBytes(encoded), backendBytes,
                    results.map(r -> r.charset().java()).filter(java -> !java.equals(StandardCharsets.UTF_8)));
            if (kept.size() >= MAX_KEPT) {
                kept.clear();
            }
            kept.put(ByteBuffer.wrap(backendBytes), new Kept(clientBytes, backend.characterSet(), backend.type()));
            return new Column(Unpooled.wrappedBuffer(clientBytes), backend.characterSet(), backend.type());
        } finally {
            backendPayload.release();
        }
    }

    /**
     * {@code mapped} with its name and original name (the 5th and 6th strings) as they are in {@code backend}, or
     * re-encoded from UTF-8 in {@code reencoded}.
     */
    private static byte[] withBackendNames(byte[] mapped, byte[] backend, Optional<Charset> reencoded) {
        int mappedNames = afterStrings(mapped, 0, 4);
        int mappedRest = afterStrings(mapped, mappedNames, 2);
        int backendNames = afterStrings(backend, 0, 4);
        int backendRest = afterStrings(backend, backendNames, 2);
        byte[] names = Arrays.copyOfRange(backend, backendNames, backendRest);
        if (reencoded.isPresent()) {
            MySQLPayload reader = new MySQLPayload(Unpooled.wrappedBuffer(names));
            ByteBuf written = Unpooled.buffer();
            MySQLPayload writer = new MySQLPayload(written);
            for (int i = 0; i < 2; i++) {
                writer.writeBytesLenenc(new String(reader.readBytesLenenc(), StandardCharsets.UTF_8)
                        .getBytes(reencoded.get()));
            }
            names = ByteBufUtil.getBytes(written);
        }
        byte[] spliced = new byte[mappedNames + names.length + (mapped.length - mappedRest)];
        System.arraycopy(mapped, 0, spliced, 0, mappedNames);
        System.arraycopy(names, 0, spliced, mappedNames, names.length);
        System.arraycopy(mapped, mappedRest, spliced, mappedNames + names.length, mapped.length - mappedRest);
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
