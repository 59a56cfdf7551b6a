package io.shardwire.proxy.protocol.packet.generic;

import static io.shardwire.proxy.protocol.PacketBytes.hex;
import static io.shardwire.proxy.protocol.PacketBytes.payload;
import static io.shardwire.proxy.protocol.PacketBytes.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.proxy.protocol.MySQLProtocolException;
import org.junit.jupiter.api.Test;

class MySQLOKPacketTest {

    @Test
    void writesTheDocumentedLayout() {
        MySQLOKPacket ok = new MySQLOKPacket(1, 0x10000, 0x0003, 1, "hi");

        // header, affected rows 1, last insert id 0x10000 as fd + 3 bytes, status 0x0003, warnings 1, "hi"
        assertThat(write(ok)).isEqualTo(hex("00 01 fd000001 0300 0100 6869"));
    }

    @Test
    void plainOkWithAutocommitIsSevenBytes() {
        assertThat(write(MySQLOKPacket.of(0x0002))).isEqualTo(hex("00 00 00 0200 0000"));
    }

    @Test
    void endOfResultSetUsesTheEofHeader() {
        MySQLOKPacket ok = MySQLOKPacket.endOfResultSet(3, 0x0022);

        assertThat(write(ok)).isEqualTo(hex("fe 00 00 2200 0300"));
        assertThat(ok.warnings()).isEqualTo(3);
        assertThat(ok.statusFlags()).isEqualTo(0x0022);
    }

    @Test
    void readsBothHeaders() {
        MySQLOKPacket ok = new MySQLOKPacket(7, 9, 2, 0, "Rows matched: 1");
        assertThat(MySQLOKPacket.read(payload(write(ok)))).isEqualTo(ok);

        MySQLOKPacket end = MySQLOKPacket.endOfResultSet(0, 2);
        assertThat(MySQLOKPacket.read(payload(write(end)))).isEqualTo(end);
    }

    @Test
    void rejectsAnotherHeader() {
        assertThatThrownBy(() -> MySQLOKPacket.read(payload(hex("ff 00 00 0000 0000"))))
                .isInstanceOf(MySQLProtocolException.class)
                .hasMessage("OK header: 0xff (expected: 0x00 or 0xfe)");
    }
}
