package io.shardwire.proxy.protocol.packet.handshake;

import static io.shardwire.proxy.protocol.PacketBytes.concat;
import static io.shardwire.proxy.protocol.PacketBytes.hex;
import static io.shardwire.proxy.protocol.PacketBytes.payload;
import static io.shardwire.proxy.protocol.PacketBytes.write;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.proxy.protocol.MySQLProtocolException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MySQLHandshakeResponse41PacketTest {

    /** PROTOCOL_41, SECURE_CONNECTION, PLUGIN_AUTH, PLUGIN_AUTH_LENENC_CLIENT_DATA, CONNECT_WITH_DB, CONNECT_ATTRS. */
    private static final int FULL = 0x00388208;
    /** PROTOCOL_41 and SECURE_CONNECTION only. */
    private static final int SECURE_ONLY = 0x00008200;
    private static final String FILLER = "00".repeat(23);

    private static final byte[] EXPECTED = concat(
            hex("08823800"),
            hex("00000001"),
            hex("ff"),
            hex(FILLER),
            "alice".getBytes(US_ASCII), hex("00"),
            hex("03 010203"),
            "shop".getBytes(US_ASCII), hex("00"),
            "mysql_native_password".getBytes(US_ASCII), hex("00"),
            hex("04 0161 0162"));

    @Test
    void writesTheDocumentedLayout() {
        MySQLHandshakeResponse41Packet response = new MySQLHandshakeResponse41Packet(FULL, 0x01000000, 255, "alice",
                hex("010203"), "shop", "mysql_native_password", Map.of("a", "b"));

        assertThat(write(response)).isEqualTo(EXPECTED);
    }

    @Test
    void readsEveryField() {
        MySQLHandshakeResponse41Packet response = MySQLHandshakeResponse41Packet.read(payload(EXPECTED));

        assertThat(response.capabilities()).isEqualTo(FULL);
        assertThat(response.maxPacketSize()).isEqualTo(0x01000000);
        assertThat(response.characterSet()).isEqualTo(255);
        assertThat(response.username()).isEqualTo("alice");
        assertThat(response.authResponse()).isEqualTo(hex("010203"));
        assertThat(response.database()).contains("shop");
        assertThat(response.authPluginName()).contains("mysql_native_password");
        assertThat(response.connectAttributes()).containsExactly(Map.entry("a", "b"));
    }

    @Test
    void readsAOneByteAuthLengthWithoutLenencCapability() {
        byte[] bytes = concat(hex("00820000 00000001 21"), hex(FILLER), hex("626f6200"), hex("02 abcd"));

        MySQLHandshakeResponse41Packet response = MySQLHandshakeResponse41Packet.read(payload(bytes));

        assertThat(response.capabilities()).isEqualTo(SECURE_ONLY);
        assertThat(response.username()).isEqualTo("bob");
        assertThat(response.authResponse()).isEqualTo(hex("abcd"));
        assertThat(response.database()).isEmpty();
        assertThat(response.authPluginName()).isEmpty();
    }

    @Test
    void readsANulTerminatedAuthResponseFromOldClients() {
        byte[] bytes = concat(hex("00020000 00000001 21"), hex(FILLER), hex("626f6200"), hex("41424300"));

        assertThat(MySQLHandshakeResponse41Packet.read(payload(bytes)).authResponse()).isEqualTo(hex("414243"));
    }

    @Test
    void treatsOptionalFieldsCutOffAsAbsent() {
        byte[] bytes = concat(hex("08823800 00000001 ff"), hex(FILLER), hex("626f6200"), hex("00"));

        MySQLHandshakeResponse41Packet response = MySQLHandshakeResponse41Packet.read(payload(bytes));

        assertThat(response.authResponse()).isEmpty();
        assertThat(response.database()).isEmpty();
        assertThat(response.authPluginName()).isEmpty();
        assertThat(response.connectAttributes()).isEmpty();
    }

    @Test
    void readsAFinalPluginNameWithoutNul() {
        // PROTOCOL_41, SECURE_CONNECTION, PLUGIN_AUTH
        byte[] bytes = concat(hex("00820800 00000001 ff"), hex(FILLER), hex("626f6200"), hex("00"),
                "caching_sha2_password".getBytes(US_ASCII));

        assertThat(MySQLHandshakeResponse41Packet.read(payload(bytes)).authPluginName())
                .contains("caching_sha2_password");
    }

    @Test
    void decodesTheUserNameWithTheClientsCharset() {
        // collation 8 is latin1_swedish_ci, in which 0xe9 is 'é'
        byte[] bytes = concat(hex("00820000 00000001 08"), hex(FILLER), hex("72e96100"), hex("00"));

        assertThat(MySQLHandshakeResponse41Packet.read(payload(bytes)).username()).isEqualTo("réa");
    }

    @Test
    void rejectsAnSslRequest() {
        // CLIENT_SSL | PROTOCOL_41 | SECURE_CONNECTION, and nothing after the filler
        byte[] sslRequest = concat(hex("008a0000 00000001 ff"), hex(FILLER));

        assertThatThrownBy(() -> MySQLHandshakeResponse41Packet.read(payload(sslRequest)))
                .isInstanceOf(MySQLProtocolException.class);
    }

    @Test
    void rejectsAttributesLongerThanThePacket() {
        // PROTOCOL_41, SECURE_CONNECTION, CONNECT_ATTRS; attributes announce 9 bytes, 4 follow
        byte[] bytes = concat(hex("00821000 00000001 ff"), hex(FILLER), hex("626f6200"), hex("00"),
                hex("09 0161 0162"));

        assertThatThrownBy(() -> MySQLHandshakeResponse41Packet.read(payload(bytes)))
                .isInstanceOf(MySQLProtocolException.class)
                .hasMessage("connection attributes length: 9 (expected: <= 4)");
    }
}
