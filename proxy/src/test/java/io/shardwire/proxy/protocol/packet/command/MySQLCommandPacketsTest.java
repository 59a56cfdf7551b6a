package io.shardwire.proxy.protocol.packet.command;

import static io.shardwire.proxy.protocol.PacketBytes.hex;
import static io.shardwire.proxy.protocol.PacketBytes.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag;
import io.shardwire.proxy.protocol.packet.handshake.MySQLHandshakeResponse41Packet;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MySQLCommandPacketsTest {

    @Test
    void commandTypesMapTheirBytes() {
        assertThat(MySQLCommandType.of(0x00)).contains(MySQLCommandType.COM_SLEEP);
        assertThat(MySQLCommandType.of(0x01)).contains(MySQLCommandType.COM_QUIT);
        assertThat(MySQLCommandType.of(0x03)).contains(MySQLCommandType.COM_QUERY);
        assertThat(MySQLCommandType.of(0x0e)).contains(MySQLCommandType.COM_PING);
        assertThat(MySQLCommandType.of(0x16)).contains(MySQLCommandType.COM_STMT_PREPARE);
        assertThat(MySQLCommandType.of(0x1f)).contains(MySQLCommandType.COM_RESET_CONNECTION);
        assertThat(MySQLCommandType.of(0x21)).contains(MySQLCommandType.COM_SUBSCRIBE_GROUP_REPLICATION_STREAM);
        assertThat(MySQLCommandType.of(0x22)).isEmpty();
        assertThat(MySQLCommandType.of(0xff)).isEmpty();
        assertThat(MySQLCommandType.of(-1)).isEmpty();
        assertThat(MySQLCommandType.COM_STMT_EXECUTE.value()).isEqualTo(0x17);
    }

    @Test
    void comQueryReadsTheTextAfterTheCommandByte() {
        MySQLPayload payload = payload(hex("03 53454c45435420e9"));
        assertThat(MySQLCommandType.of(payload.readInt1())).contains(MySQLCommandType.COM_QUERY);

        MySQLComQueryPacket query = MySQLComQueryPacket.read(payload);

        assertThat(query.text(Charset.forName("windows-1252"))).contains("SELECT é");
    }

    @Test
    void comQueryDecodesUtf8() {
        MySQLPayload payload = payload(hex("03 c3a9"));
        payload.readInt1();

        assertThat(MySQLComQueryPacket.read(payload).text(StandardCharsets.UTF_8)).contains("é");
    }

    @Test
    void comInitDbReadsTheSchemaAfterTheCommandByte() {
        MySQLPayload payload = payload(hex("02 73686f70"));
        assertThat(MySQLCommandType.of(payload.readInt1())).contains(MySQLCommandType.COM_INIT_DB);

        assertThat(MySQLComInitDbPacket.read(payload, StandardCharsets.UTF_8).schema()).isEqualTo("shop");
    }

    @Test
    void comChangeUserReadsUserResponseSchemaCollationAndPlugin() {
        // "bob", 2-byte response, "crm", collation 8 (latin1_swedish_ci), plugin, then connection attributes.
        MySQLPayload payload = payload(hex("11 626f6200 02 abcd 63726d00 0800"
                + " 63616368696e675f736861325f70617373776f726400 05 01 61 01 62"));
        assertThat(MySQLCommandType.of(payload.readInt1())).contains(MySQLCommandType.COM_CHANGE_USER);
        int capabilities = MySQLCapabilityFlag.of(MySQLCapabilityFlag.CLIENT_PROTOCOL_41,
                MySQLCapabilityFlag.CLIENT_SECURE_CONNECTION, MySQLCapabilityFlag.CLIENT_PLUGIN_AUTH,
                MySQLCapabilityFlag.CLIENT_CONNECT_ATTRS);

        MySQLComChangeUserPacket request = MySQLComChangeUserPacket.read(payload, capabilities, StandardCharsets.UTF_8);

        assertThat(request.username()).isEqualTo("bob");
        assertThat(request.authResponse()).containsExactly(0xab, 0xcd);
        assertThat(request.schema()).isEqualTo("crm");
        assertThat(request.characterSet()).isEqualTo(8);
        assertThat(request.pluginName()).isEqualTo("caching_sha2_password");
        MySQLHandshakeResponse41Packet response = request.asHandshakeResponse(capabilities, 45);
        assertThat(response.username()).isEqualTo("bob");
        assertThat(response.database()).contains("crm");
        assertThat(response.characterSet()).isEqualTo(8);
        assertThat(response.authPluginName()).contains("caching_sha2_password");
    }

    @Test
    void comChangeUserOfAnOldClientEndsAfterTheSchema() {
        MySQLPayload payload = payload(hex("626f6200 00 00"));

        MySQLComChangeUserPacket request = MySQLComChangeUserPacket.read(payload,
                MySQLCapabilityFlag.CLIENT_SECURE_CONNECTION.value(), StandardCharsets.UTF_8);

        assertThat(request.schema()).isEmpty();
        assertThat(request.characterSet()).isEqualTo(-1);
        assertThat(request.asHandshakeResponse(0, 45).characterSet()).as("the connection's collation").isEqualTo(45);
    }
}
