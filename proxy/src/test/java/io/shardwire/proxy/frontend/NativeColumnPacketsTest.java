package io.shardwire.proxy.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.packet.resultset.MySQLColumnDefinition41Packet;
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
    void releasesTheBackendPayload() {
        ByteBuf backend = backend("shop_1", "orders", "c");
        packets.clientPayload(backend).release();
        ByteBuf again = backend("shop_1", "orders", "c");
        packets.clientPayload(again).release();

        assertThat(backend.refCnt()).isZero();
        assertThat(again.refCnt()).isZero();
    }

    private MySQLColumnDefinition41Packet client(ByteBuf backend) {
        ByteBuf payload = packets.clientPayload(backend);
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

    private static MySQLColumnDefinition41Packet logical(String table, String column) {
        return definition("shop", table, column);
    }

    private static MySQLColumnDefinition41Packet definition(String schema, String table, String column) {
        return new MySQLColumnDefinition41Packet(schema, table, table, column, column, 45, 120, 0xFE, 0, 0);
    }
}
