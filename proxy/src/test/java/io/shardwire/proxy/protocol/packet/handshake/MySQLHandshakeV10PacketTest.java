package io.shardwire.proxy.protocol.packet.handshake;

import static io.shardwire.proxy.protocol.PacketBytes.concat;
import static io.shardwire.proxy.protocol.PacketBytes.hex;
import static io.shardwire.proxy.protocol.PacketBytes.payload;
import static io.shardwire.proxy.protocol.PacketBytes.write;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.proxy.protocol.MySQLProtocolException;
import org.junit.jupiter.api.Test;

class MySQLHandshakeV10PacketTest {

    private static final byte[] SCRAMBLE = hex("0102030405060708 090a0b0c0d0e0f1011121314");
    private static final int CAPABILITIES = 0x013AA60F;

    private static final byte[] EXPECTED = concat(
            hex("0a"),
            "8.0.36".getBytes(US_ASCII), hex("00"),
            hex("04030201"),
            hex("0102030405060708"),
            hex("00"),
            hex("0fa6"),
            hex("2d"),
            hex("0200"),
            hex("3a01"),
            hex("15"),
            hex("00000000000000000000"),
            hex("090a0b0c0d0e0f1011121314 00"),
            "caching_sha2_password".getBytes(US_ASCII), hex("00"));

    private static MySQLHandshakeV10Packet greeting() {
        return new MySQLHandshakeV10Packet("8.0.36", 0x01020304, SCRAMBLE, CAPABILITIES, 45, 0x0002,
                "caching_sha2_password");
    }

    @Test
    void writesTheDocumentedLayout() {
        assertThat(write(greeting())).isEqualTo(EXPECTED);
    }

    @Test
    void readsWhatItWrites() {
        MySQLHandshakeV10Packet read = MySQLHandshakeV10Packet.read(payload(EXPECTED));

        assertThat(read.serverVersion()).isEqualTo("8.0.36");
        assertThat(read.connectionId()).isEqualTo(0x01020304);
        assertThat(read.authPluginData()).isEqualTo(SCRAMBLE);
        assertThat(read.capabilities()).isEqualTo(CAPABILITIES);
        assertThat(read.characterSet()).isEqualTo(45);
        assertThat(read.statusFlags()).isEqualTo(2);
        assertThat(read.authPluginName()).isEqualTo("caching_sha2_password");
    }

    @Test
    void keepsItsScrambleToItself() {
        byte[] scramble = SCRAMBLE.clone();
        MySQLHandshakeV10Packet packet = new MySQLHandshakeV10Packet("v", 1, scramble, CAPABILITIES, 45, 2, "p");
        scramble[0] = 99;
        packet.authPluginData()[1] = 99;

        assertThat(packet.authPluginData()).isEqualTo(SCRAMBLE);
    }

    @Test
    void requiresATwentyByteScramble() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new MySQLHandshakeV10Packet("v", 1, new byte[8], CAPABILITIES, 45, 2, "p"))
                .withMessage("authPluginData length: 8 (expected: 20)");
    }

    @Test
    void rejectsAnotherProtocolVersion() {
        byte[] bytes = EXPECTED.clone();
        bytes[0] = 9;

        assertThatThrownBy(() -> MySQLHandshakeV10Packet.read(payload(bytes)))
                .isInstanceOf(MySQLProtocolException.class)
                .hasMessage("protocol version: 9 (expected: 10)");
    }
}
