package io.shardwire.proxy.protocol.binary;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.MySQLProtocolException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MySQLBinaryParametersTest {

    private static MySQLPayload payload(String hex) {
        return new MySQLPayload(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", ""))));
    }

    @Test
    void decodesEachTypeAsTheClientMeantIt() {
        // 9 params: null bitmap 2 bytes (param 2 is NULL), new-params-bound 1, then 9 type words.
        String hex = "0200" + "01"
                + "0100" + "0880" + "0300" + "0500" + "f600" + "0c00" + "0b00" + "fd00" + "fc00"
                + "ff"                                   // TINY -1
                + ""                                     // LONGLONG unsigned: NULL
                + "feffffff"                             // LONG -2
                + "000000000000f83f"                     // DOUBLE 1.5
                + "05 2d312e3530"                         // DECIMAL "-1.50"
                + "0b e8070b1a 0a0b0c 40e20100"          // DATETIME 2024-11-26 10:11:12.123456
                + "08 01 01000000 02 03 04"              // TIME -26:03:04
                + "03 c3a961"                            // VAR_STRING "éa"
                + "02 00ff";                             // BLOB
        MySQLBinaryParameters parameters = MySQLBinaryParameters.read(payload(hex), 9, null, Map.of(), UTF_8);

        assertThat(parameters.values()).containsExactly(-1L, null, -2L, 1.5, new BigDecimal("-1.50"),
                "2024-11-26 10:11:12.123456", "-26:03:04", "éa", parameters.values().get(8));
        assertThat((byte[]) parameters.values().get(8)).containsExactly(0x00, 0xff);
        assertThat(parameters.types()[1]).isEqualTo(0x08 | MySQLBinaryParameters.UNSIGNED_FLAG);
    }

    @Test
    void unsignedLongLongAboveTheSignedRangeBecomesABigInteger() {
        MySQLBinaryParameters parameters = MySQLBinaryParameters.read(payload("00 01 0880 ffffffffffffffff"), 1,
                null, Map.of(), UTF_8);
        assertThat(parameters.values()).containsExactly(new BigInteger("18446744073709551615"));
    }

    @Test
    void typesFromTheLastExecuteAreReusedWhenNoneAreSent() {
        int[] previous = {0x03};
        MySQLBinaryParameters parameters = MySQLBinaryParameters.read(payload("00 00 07000000"), 1, previous,
                Map.of(), UTF_8);
        assertThat(parameters.values()).containsExactly(7L);
        assertThatThrownBy(() -> MySQLBinaryParameters.read(payload("00 00 07000000"), 1, null, Map.of(), UTF_8))
                .isInstanceOf(MySQLProtocolException.class)
                .hasMessageContaining("no parameter types");
    }

    @Test
    void longDataReplacesTheValueAndStringBytesThatAreNotTextStayBytes() {
        MySQLBinaryParameters parameters = MySQLBinaryParameters.read(payload("00 01 fc00 fd00 02 c328"), 2, null,
                Map.of(0, new byte[] {1, 2, 3}), UTF_8);
        assertThat((byte[]) parameters.values().get(0)).containsExactly(1, 2, 3);
        // 0xc3 0x28 is not UTF-8: passing it on as text would corrupt it.
        assertThat((byte[]) parameters.values().get(1)).containsExactly(0xc3, 0x28);
    }

    @Test
    void zeroAndShortTemporalValues() {
        MySQLBinaryParameters parameters = MySQLBinaryParameters.read(payload("00 01 0a00 0c00 0b00 00 04e8070b1a 00"),
                3, null, Map.of(), UTF_8);
        assertThat(parameters.values()).containsExactly("0000-00-00", "2024-11-26 00:00:00", "00:00:00");
        assertThatThrownBy(() -> MySQLBinaryParameters.read(payload("00 01 0c00 03 010203"), 1, null, Map.of(), UTF_8))
                .isInstanceOf(MySQLProtocolException.class)
                .hasMessageContaining("3 bytes");
    }
}
