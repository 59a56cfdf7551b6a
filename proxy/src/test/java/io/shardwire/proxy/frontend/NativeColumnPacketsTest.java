package io.shardwire.proxy.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.packet.resultset.MySQLColumnDefinition41Packet;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NativeColumnPacketsTest {

    private final NativeColumnPackets packets = new NativeColumnPackets(ShopNames.ordersAndItems());

    @Test
    void eachBackendDefinitionGetsItsOwnLogicalOneWhicheverCameBetween() {
        for (int round = 0; round < 3; round++) {
            // Alternating tables and data nodes (physical databases), as a client running several statements does.
            assertThat(client(backend("shop_1", "orders", "c"))).isEqualTo(logical("orders", "c"));
            assertThat(client(backend("shop_0", "items", "c"))).isEqualTo(logical("items", "c"));
            assertThat(client(backend("shop_0", "orders", "k"))).isEqualTo(logical("orders", "k"));
        }
    }

    @Test
    void keepsABoundedNumberAndStillAnswersPastIt() {
        for (int i = 0; i < NativeColumnPackets.MAX_KEPT * 3; i++) {
            assertThat(client(backend("shop_1", "orders", "c" + i))).isEqualTo(logical("orders", "c" + i));
        }
        assertThat(client(backend("shop_1", "orders", "c0"))).isEqualTo(logical("orders", "c0"));
    }

    @Test
    void theColumnsNamesKeepTheBackendsBytesInAnyResultsCharset() {
        // 'größe' in latin1 (a session's SET NAMES latin1): not UTF-8, so decoding it would garble it.
        byte[] latin1 = "gr\u00f6\u00dfe".getBytes(StandardCharsets.ISO_8859_1);
        byte[] backendBytes = ByteBufUtil.getBytes(backend("shop_1", "orders", "NNNNN"));
        int at = indexOf(backendBytes, "NNNNN".getBytes(StandardCharsets.US_ASCII));
        System.arraycopy(latin1, 0, backendBytes, at, latin1.length);

        ByteBuf payload = packets.clientColumn(Unpooled.wrappedBuffer(backendBytes), Optional.empty()).payload();
        byte[] clientBytes = ByteBufUtil.getBytes(payload);
        payload.release();

        byte[] expected = ByteBufUtil.getBytes(encoded(logical("orders", "NNNNN")));
        int name = indexOf(expected, "NNNNN".getBytes(StandardCharsets.US_ASCII));
        System.arraycopy(latin1, 0, expected, name, latin1.length);
        assertThat(clientBytes).as("logical schema and table, the name as the backend sent it").isEqualTo(expected);
    }

    @Test
    void releasesTheBackendPayload() {
        ByteBuf backend = backend("shop_1", "orders", "c");
        packets.clientColumn(backend, Optional.empty()).payload().release();
        ByteBuf again = backend("shop_1", "orders", "c");
        packets.clientColumn(again, Optional.empty()).payload().release();

        assertThat(backend.refCnt()).isZero();
        assertThat(again.refCnt()).isZero();
    }

    private MySQLColumnDefinition41Packet client(ByteBuf backend) {
        ByteBuf payload = packets.clientColumn(backend, Optional.empty()).payload();
        try {
            return MySQLColumnDefinition41Packet.read(new MySQLPayload(payload));
        } finally {
            payload.release();
        }
    }

    private static ByteBuf backend(String database, String table, String column) {
        ByteBuf buffer = Unpooled.directBuffer();
        definition(database, table, column).write(new MySQLPayload(buffer));
        return buffer;
    }

    private static ByteBuf encoded(MySQLColumnDefinition41Packet packet) {
        ByteBuf buffer = Unpooled.buffer();
        packet.write(new MySQLPayload(buffer));
        return buffer;
    }

    /** Where {@code part} first starts in {@code bytes} (it must be there, twice for name and original name). */
    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    private static MySQLColumnDefinition41Packet logical(String table, String column) {
        return definition("shop", table, column);
    }

    private static MySQLColumnDefinition41Packet definition(String schema, String table, String column) {
        return new MySQLColumnDefinition41Packet(schema, table, table, column, column, 45, 120, 0xFE, 0, 0);
    }
}
