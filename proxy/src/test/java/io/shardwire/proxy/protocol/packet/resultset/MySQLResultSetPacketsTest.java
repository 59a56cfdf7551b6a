package io.shardwire.proxy.protocol.packet.resultset;

import static io.shardwire.proxy.protocol.PacketBytes.concat;
import static io.shardwire.proxy.protocol.PacketBytes.hex;
import static io.shardwire.proxy.protocol.PacketBytes.payload;
import static io.shardwire.proxy.protocol.PacketBytes.write;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.proxy.protocol.MySQLProtocolException;
import io.shardwire.proxy.protocol.constant.MySQLColumnFlag;
import io.shardwire.proxy.protocol.constant.MySQLColumnType;
import org.junit.jupiter.api.Test;

class MySQLResultSetPacketsTest {

    @Test
    void columnCountIsALenencInt() {
        assertThat(write(new MySQLColumnCountPacket(3))).isEqualTo(hex("03"));
        assertThat(write(new MySQLColumnCountPacket(251))).isEqualTo(hex("fc fb00"));
        assertThat(MySQLColumnCountPacket.read(payload(hex("fc fb00")))).isEqualTo(new MySQLColumnCountPacket(251));
    }

    @Test
    void columnCountMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> new MySQLColumnCountPacket(0))
                .withMessage("columnCount: 0 (expected: >= 1)");
        assertThatThrownBy(() -> MySQLColumnCountPacket.read(payload(hex("00"))))
                .isInstanceOf(MySQLProtocolException.class);
    }

    @Test
    void columnDefinitionWritesTheDocumentedLayout() {
        MySQLColumnDefinition41Packet column = new MySQLColumnDefinition41Packet("shop", "o", "orders", "id", "id",
                63, 20, MySQLColumnType.LONGLONG,
                MySQLColumnFlag.of(MySQLColumnFlag.NOT_NULL, MySQLColumnFlag.PRI_KEY, MySQLColumnFlag.AUTO_INCREMENT),
                0);

        assertThat(write(column)).isEqualTo(concat(
                hex("03"), "def".getBytes(US_ASCII),
                hex("04"), "shop".getBytes(US_ASCII),
                hex("01"), "o".getBytes(US_ASCII),
                hex("06"), "orders".getBytes(US_ASCII),
                hex("02"), "id".getBytes(US_ASCII),
                hex("02"), "id".getBytes(US_ASCII),
                hex("0c"),
                hex("3f00"),
                hex("14000000"),
                hex("08"),
                hex("0302"),
                hex("00"),
                hex("0000")));
    }

    @Test
    void columnDefinitionRoundTripsARawTypeByte() {
        MySQLColumnDefinition41Packet column = new MySQLColumnDefinition41Packet("s", "t", "t", "v", "v", 255,
                0xFFFF_FFFFL, 0xf2, 0, 0x1f);

        assertThat(MySQLColumnDefinition41Packet.read(payload(write(column)))).isEqualTo(column);
    }

    @Test
    void columnDefinitionValidatesItsNumbers() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new MySQLColumnDefinition41Packet("s", "t", "t", "v", "v", 255, -1, 0xfd, 0, 0))
                .withMessage("columnLength: -1 (expected: 0..4294967295)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new MySQLColumnDefinition41Packet("s", "t", "t", "v", "v", 255, 0, 256, 0, 0))
                .withMessage("type: 256 (expected: 0..255)");
    }

    @Test
    void textRowWritesLenencStringsAndNullMarkers() {
        MySQLTextResultSetRowPacket row = new MySQLTextResultSetRowPacket("1".getBytes(US_ASCII), null, new byte[0],
                "abc".getBytes(US_ASCII));

        assertThat(write(row)).isEqualTo(hex("01 31 fb 00 03 616263"));
        assertThat(row.values()).hasSize(4).element(1).isNull();
    }

    @Test
    void textRowWritesALongValueWithA3ByteLength() {
        byte[] value = new byte[0x10000];

        byte[] bytes = write(new MySQLTextResultSetRowPacket(value));

        assertThat(bytes).hasSize(4 + 0x10000);
        assertThat(bytes).startsWith(hex("fd 000001"));
    }
}
