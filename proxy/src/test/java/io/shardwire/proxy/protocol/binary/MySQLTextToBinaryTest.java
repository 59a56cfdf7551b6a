package io.shardwire.proxy.protocol.binary;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.proxy.protocol.MySQLProtocolException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MySQLTextToBinaryTest {

    private static String hex(int type, int flags, String text) {
        return HexFormat.of().formatHex(MySQLTextToBinary.convert(type, flags, text.getBytes(US_ASCII)));
    }

    @Test
    void numbersBecomeLittleEndianFixedSizes() {
        assertThat(hex(0x01, 0, "-1")).isEqualTo("ff");
        assertThat(hex(0x02, 0, "-2")).isEqualTo("feff");
        assertThat(hex(0x03, 0, "-5")).isEqualTo("fbffffff");
        assertThat(hex(0x08, 32, "18446744073709551615")).isEqualTo("ffffffffffffffff");
        assertThat(hex(0x0d, 0, "2026")).isEqualTo("ea07");
        assertThat(hex(0x05, 0, "1.5")).isEqualTo("000000000000f83f");
        assertThat(hex(0x04, 0, "1.5")).isEqualTo("0000c03f");
    }

    @Test
    void temporalValuesTakeTheShortestForm() {
        assertThat(hex(0x0a, 0, "2026-11-26")).isEqualTo("ea070b1a");
        assertThat(hex(0x0c, 0, "2026-11-26 00:00:00")).isEqualTo("ea070b1a");
        assertThat(hex(0x0c, 0, "2026-11-26 10:11:12")).isEqualTo("ea070b1a0a0b0c");
        assertThat(hex(0x0c, 0, "2026-11-26 10:11:12.345")).isEqualTo("ea070b1a0a0b0c" + "a8430500");
        assertThat(hex(0x0c, 0, "0000-00-00 00:00:00")).isEmpty();
        assertThat(hex(0x0b, 0, "-25:01:02")).isEqualTo("01" + "01000000" + "010102");
        assertThat(hex(0x0b, 0, "00:00:00")).isEmpty();
        assertThat(hex(0x0b, 0, "838:59:59.5")).isEqualTo("00" + "22000000" + "163b3b" + "20a10700");
    }

    @Test
    void everythingElseStaysAsItIs() {
        assertThat(hex(0xf6, 0, "12.50")).isEqualTo(HexFormat.of().formatHex("12.50".getBytes(US_ASCII)));
        assertThat(hex(0xfd, 0, "abc")).isEqualTo("616263");
    }

    @Test
    void textThatIsNoNumberIsAnError() {
        assertThatThrownBy(() -> MySQLTextToBinary.convert(0x03, 0, "x".getBytes(US_ASCII)))
                .isInstanceOf(MySQLProtocolException.class)
                .hasMessageContaining("LONG value 'x'");
    }
}
