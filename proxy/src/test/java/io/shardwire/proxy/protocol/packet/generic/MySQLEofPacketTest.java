package io.shardwire.proxy.protocol.packet.generic;

import static io.shardwire.proxy.protocol.PacketBytes.hex;
import static io.shardwire.proxy.protocol.PacketBytes.payload;
import static io.shardwire.proxy.protocol.PacketBytes.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.proxy.protocol.MySQLProtocolException;
import org.junit.jupiter.api.Test;

class MySQLEofPacketTest {

    @Test
    void writesWarningsBeforeStatus() {
        assertThat(write(new MySQLEofPacket(1, 0x0002))).isEqualTo(hex("fe 0100 0200"));
    }

    @Test
    void roundTrips() {
        MySQLEofPacket eof = new MySQLEofPacket(0, 0x000a);

        assertThat(MySQLEofPacket.read(payload(write(eof)))).isEqualTo(eof);
    }

    @Test
    void rejectsAnotherHeader() {
        assertThatThrownBy(() -> MySQLEofPacket.read(payload(hex("00 0000 0000"))))
                .isInstanceOf(MySQLProtocolException.class);
    }
}
