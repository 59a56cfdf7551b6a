package io.shardwire.proxy.protocol.packet.handshake;

import static io.shardwire.proxy.protocol.PacketBytes.concat;
import static io.shardwire.proxy.protocol.PacketBytes.hex;
import static io.shardwire.proxy.protocol.PacketBytes.payload;
import static io.shardwire.proxy.protocol.PacketBytes.write;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.proxy.protocol.MySQLProtocolException;
import org.junit.jupiter.api.Test;

class MySQLAuthPacketsTest {

    private static final byte[] SCRAMBLE = hex("0102030405060708090a0b0c0d0e0f1011121314");

    @Test
    void authSwitchRequestEndsThePluginDataWithNul() {
        MySQLAuthSwitchRequestPacket request = new MySQLAuthSwitchRequestPacket("mysql_native_password", SCRAMBLE);

        assertThat(write(request)).isEqualTo(
                concat(hex("fe"), "mysql_native_password".getBytes(US_ASCII), hex("00"), SCRAMBLE, hex("00")));
    }

    @Test
    void authSwitchRequestReadDropsTheNul() {
        MySQLAuthSwitchRequestPacket read = MySQLAuthSwitchRequestPacket.read(
                payload(write(new MySQLAuthSwitchRequestPacket("caching_sha2_password", SCRAMBLE))));

        assertThat(read.authPluginName()).isEqualTo("caching_sha2_password");
        assertThat(read.authPluginData()).isEqualTo(SCRAMBLE);
    }

    @Test
    void authSwitchRequestChecksItsHeader() {
        assertThatThrownBy(() -> MySQLAuthSwitchRequestPacket.read(payload(hex("01 6100"))))
                .isInstanceOf(MySQLProtocolException.class)
                .hasMessage("AuthSwitchRequest header: 0x01 (expected: 0xfe)");
    }

    @Test
    void authSwitchResponseIsTheRawData() {
        MySQLAuthSwitchResponsePacket response = new MySQLAuthSwitchResponsePacket(hex("aabbcc"));

        assertThat(write(response)).isEqualTo(hex("aabbcc"));
        assertThat(MySQLAuthSwitchResponsePacket.read(payload(hex("aabbcc"))).authPluginResponse())
                .isEqualTo(hex("aabbcc"));
        assertThat(MySQLAuthSwitchResponsePacket.read(payload(new byte[0])).authPluginResponse()).isEmpty();
    }

    @Test
    void authMoreDataPrefixesItsData() {
        assertThat(write(new MySQLAuthMoreDataPacket(hex("03")))).isEqualTo(hex("01 03"));
        assertThat(MySQLAuthMoreDataPacket.read(payload(hex("01 2d2d"))).authMethodData()).isEqualTo(hex("2d2d"));
    }

    @Test
    void authMoreDataChecksItsHeader() {
        assertThatThrownBy(() -> MySQLAuthMoreDataPacket.read(payload(hex("00 03"))))
                .isInstanceOf(MySQLProtocolException.class)
                .hasMessage("AuthMoreData header: 0x00 (expected: 0x01)");
    }
}
