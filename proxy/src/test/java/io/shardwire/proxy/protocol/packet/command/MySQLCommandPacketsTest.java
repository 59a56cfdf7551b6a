package io.shardwire.proxy.protocol.packet.command;

import static io.shardwire.proxy.protocol.PacketBytes.hex;
import static io.shardwire.proxy.protocol.PacketBytes.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.proxy.protocol.MySQLPayload;
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
}
