package io.shardwire.proxy.protocol;

import static io.shardwire.proxy.protocol.PacketBytes.hex;
import static io.shardwire.proxy.protocol.PacketBytes.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MySQLPayloadTest {

    private static byte[] written(Consumer<MySQLPayload> writer) {
        ByteBuf buffer = Unpooled.buffer();
        writer.accept(new MySQLPayload(buffer));
        return ByteBufUtil.getBytes(buffer);
    }

    @ParameterizedTest(name = "{0} <-> {1}")
    @CsvSource({
            "0, 00",
            "250, fa",
            "251, fcfb00",
            "65535, fcffff",
            "65536, fd000001",
            "16777215, fdffffff",
            "16777216, fe0000000100000000",
            "-1, feffffffffffffffff"
    })
    void intLenencUsesTheShortestFormAtEachBoundary(long value, String expectedHex) {
        byte[] bytes = written(payload -> payload.writeIntLenenc(value));
        assertThat(bytes).isEqualTo(hex(expectedHex));

        MySQLPayload payload = payload(bytes);
        assertThat(payload.readIntLenenc()).isEqualTo(value);
        assertThat(payload.isReadable()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"fb", "ff"})
    void intLenencRejectsTheNullMarkerAndErrHeader(String firstByte) {
        assertThatThrownBy(() -> payload(hex(firstByte)).readIntLenenc())
                .isInstanceOf(MySQLProtocolException.class)
                .hasMessageContaining("int<lenenc> first byte: 0x" + firstByte);
    }

    @Test
    void fixedLengthIntsAreLittleEndian() {
        byte[] bytes = written(payload -> {
            payload.writeInt1(0xAB);
            payload.writeInt2(0x1234);
            payload.writeInt3(0x123456);
            payload.writeInt4(0x89ABCDEF);
            payload.writeInt6(0x0102030405L);
            payload.writeInt8(0x0102030405060708L);
        });
        assertThat(bytes).isEqualTo(hex("ab 3412 563412 efcdab89 050403020100 0807060504030201"));

        MySQLPayload payload = payload(bytes);
        assertThat(payload.peekInt1()).isEqualTo(0xAB);
        assertThat(payload.readInt1()).isEqualTo(0xAB);
        assertThat(payload.readInt2()).isEqualTo(0x1234);
        assertThat(payload.readInt3()).isEqualTo(0x123456);
        assertThat(payload.readInt4()).isEqualTo(0x89ABCDEF);
        assertThat(payload.readInt6()).isEqualTo(0x0102030405L);
        assertThat(payload.readInt8()).isEqualTo(0x0102030405060708L);
    }

    @Test
    void unsignedSmallIntsComeBackPositive() {
        MySQLPayload payload = payload(hex("ff ffff ffffff"));
        assertThat(payload.readInt1()).isEqualTo(255);
        assertThat(payload.readInt2()).isEqualTo(65535);
        assertThat(payload.readInt3()).isEqualTo(16777215);
    }

    @Test
    void stringTypesRoundTrip() {
        byte[] bytes = written(payload -> {
            payload.writeStringFix("ab");
            payload.writeStringNul("nul");
            payload.writeStringLenenc("lenenc");
            payload.writeBytesLenenc(new byte[] {1, 2});
            payload.writeReserved(2);
            payload.writeStringEOF("rest");
        });
        assertThat(bytes).isEqualTo(hex("6162 6e756c00 066c656e656e63 020102 0000 72657374"));

        MySQLPayload payload = payload(bytes);
        assertThat(payload.readStringFix(2)).isEqualTo("ab");
        assertThat(payload.readStringNul()).isEqualTo("nul");
        assertThat(payload.readStringLenenc()).isEqualTo("lenenc");
        assertThat(payload.readBytesLenenc()).containsExactly(1, 2);
        payload.skipReserved(2);
        assertThat(payload.readableBytes()).isEqualTo(4);
        assertThat(payload.readStringEOF()).isEqualTo("rest");
    }

    @Test
    void stringsUseTheCharsetPassed() {
        byte[] bytes = written(payload -> {
            payload.writeStringNul("é", StandardCharsets.ISO_8859_1);
            payload.writeStringLenenc("é", StandardCharsets.UTF_8);
            payload.writeStringEOF("é", StandardCharsets.ISO_8859_1);
        });
        assertThat(bytes).isEqualTo(hex("e900 02c3a9 e9"));

        MySQLPayload payload = payload(bytes);
        assertThat(payload.readStringNul(StandardCharsets.ISO_8859_1)).isEqualTo("é");
        assertThat(payload.readStringLenenc(StandardCharsets.UTF_8)).isEqualTo("é");
        assertThat(payload.readStringEOF(StandardCharsets.ISO_8859_1)).isEqualTo("é");
    }

    @Test
    void readingPastTheEndIsAProtocolError() {
        assertThatThrownBy(() -> payload(hex("0102")).readInt4())
                .isInstanceOf(MySQLProtocolException.class)
                .hasMessage("int<4>: needs 4 bytes, 2 left in the payload");
    }

    @Test
    void stringNulWithoutTerminatorIsAProtocolError() {
        assertThatThrownBy(() -> payload(hex("6162")).readStringNul())
                .isInstanceOf(MySQLProtocolException.class)
                .hasMessageContaining("no NUL terminator");
    }

    @Test
    void stringLenencLongerThanThePayloadIsAProtocolError() {
        assertThatThrownBy(() -> payload(hex("05 6162")).readStringLenenc())
                .isInstanceOf(MySQLProtocolException.class)
                .hasMessage("string<lenenc> length: 5 (expected: <= 2)");
    }
}
