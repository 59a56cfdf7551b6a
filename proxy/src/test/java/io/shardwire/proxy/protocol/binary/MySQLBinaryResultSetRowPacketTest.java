package io.shardwire.proxy.protocol.binary;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.shardwire.proxy.protocol.MySQLPayload;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MySQLBinaryResultSetRowPacketTest {

    @Test
    void writesTheNullBitmapAtOffsetTwoAndEachValueInItsForm() {
        HexFormat hex = HexFormat.of();
        int[] types = {0x03, 0xfd, 0x0c, 0x05, 0xf6};
        byte[][] values = {hex.parseHex("fbffffff"), "hi".getBytes(), hex.parseHex("e8070b1a"), null,
                "1.50".getBytes()};
        ByteBuf buffer = Unpooled.buffer();
        new MySQLBinaryResultSetRowPacket(types, values).write(new MySQLPayload(buffer));

        // header 00; bitmap: column 3 NULL -> bit 5 -> 0x20; INT raw; VAR_STRING lenenc; DATETIME length-prefixed;
        // DECIMAL lenenc.
        assertThat(ByteBufUtil.hexDump(buffer)).isEqualTo("00" + "20" + "fbffffff" + "026869" + "04e8070b1a" + "04312e3530");
    }

    @Test
    void theNullBitmapGrowsWithTheColumns() {
        int[] types = new int[7];
        byte[][] values = new byte[7][];
        java.util.Arrays.fill(types, 0x01);
        values[6] = new byte[] {9};
        ByteBuf buffer = Unpooled.buffer();
        new MySQLBinaryResultSetRowPacket(types, values).write(new MySQLPayload(buffer));

        // 7 columns + offset 2 = 9 bits -> 2 bytes; columns 0..5 NULL -> bits 2..7 -> 0xfc, column 6 not NULL.
        assertThat(ByteBufUtil.hexDump(buffer)).isEqualTo("00" + "fc00" + "09");
    }
}
