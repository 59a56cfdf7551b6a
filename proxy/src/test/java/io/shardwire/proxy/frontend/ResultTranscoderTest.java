package io.shardwire.proxy.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.binary.MySQLBinaryResultSetRowPacket;
import io.shardwire.proxy.protocol.constant.MySQLColumnType;
import io.shardwire.proxy.protocol.packet.resultset.MySQLColumnDefinition41Packet;
import io.shardwire.proxy.protocol.packet.resultset.MySQLTextResultSetRowPacket;
import io.shardwire.proxy.session.ResultsCharset;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResultTranscoderTest {

    private static final Charset LATIN1 = Charset.forName("windows-1252");
    private static final Optional<ResultsCharset> UTF8MB4 = Optional.of(ResultsCharset.ofHandshake(45));
    /** latin1_swedish_ci, utf8mb4_bin, binary, big5 (a charset the proxy does not convert), utf8mb4_general_ci. */
    private static final int[] COLLATIONS = {8, 46, 63, 1, 45};

    private static MySQLColumnDefinition41Packet column(int collation, long length) {
        return new MySQLColumnDefinition41Packet("shop", "t", "t", "c", "c", collation, length,
                MySQLColumnType.VAR_STRING, 0, 0);
    }

    /** As MariaDB 10.11 described them with character_set_results = utf8mb4 (collation 45 on the handshake). */
    @Test
    void textColumnsAreDescribedInTheResultsCharsetWithTheirLengthScaled() {
        ResultTranscoder transcoder = ResultTranscoder.of(COLLATIONS, UTF8MB4);
        assertThat(transcoder.definition(0, column(8, 20))).isEqualTo(column(45, 80));
        assertThat(transcoder.definition(1, column(46, 40))).isEqualTo(column(45, 40));
        assertThat(transcoder.definition(2, column(63, 4))).isEqualTo(column(63, 4));
        assertThat(transcoder.definition(3, column(1, 10))).isEqualTo(column(1, 10));
        assertThat(transcoder.definition(4, column(45, 40))).isEqualTo(column(45, 40));
        assertThat(ResultTranscoder.of(new int[] {8}, UTF8MB4).definition(0, column(8, 0xFFFF_FFFFL)).columnLength())
                .isEqualTo(0xFFFF_FFFFL);
    }

    /** A TEXT column's length is bytes: MariaDB multiplies it by the widest character, then caps it at 2^32 - 1. */
    @Test
    void textColumnsLengthsAreTheirBytesTimesTheWidestCharacter() {
        ResultTranscoder transcoder = ResultTranscoder.of(new int[] {45, 46}, UTF8MB4);
        MySQLColumnDefinition41Packet text = new MySQLColumnDefinition41Packet("shop", "t", "t", "tx", "tx", 45, 65_535,
                MySQLColumnType.BLOB, 0x10, 0);
        assertThat(transcoder.definition(0, text).columnLength()).isEqualTo(262_140);
        MySQLColumnDefinition41Packet json = new MySQLColumnDefinition41Packet("shop", "t", "t", "js", "js", 46,
                0xFFFF_FFFFL, MySQLColumnType.BLOB, 0x90, 0);
        assertThat(transcoder.definition(1, json)).extracting(MySQLColumnDefinition41Packet::columnLength,
                MySQLColumnDefinition41Packet::characterSet).containsExactly(0xFFFF_FFFFL, 45);
    }

    @Test
    void valuesOfAnotherEncodingAreReencodedAndOthersKeepTheirBytes() {
        ResultTranscoder transcoder = ResultTranscoder.of(COLLATIONS, UTF8MB4);
        assertThat(transcoder.changesValues()).isTrue();
        assertThat(transcoder.value(0, "café".getBytes(LATIN1))).isEqualTo("café".getBytes(StandardCharsets.UTF_8));
        byte[] raw = {(byte) 0xE9, 0x00};
        assertThat(transcoder.value(2, raw)).isSameAs(raw);
        assertThat(transcoder.value(1, "ü".getBytes(StandardCharsets.UTF_8))).containsExactly(0xC3, 0xBC);
        assertThat(transcoder.value(0, null)).isNull();
        assertThat(transcoder.encode(0, "é")).containsExactly(0xC3, 0xA9);

        ResultTranscoder toLatin1 = ResultTranscoder.of(new int[] {45, 8}, Optional.of(ResultsCharset.ofHandshake(8)));
        assertThat(toLatin1.value(0, "ü€".getBytes(StandardCharsets.UTF_8))).containsExactly(0xFC, 0x80);
        assertThat(toLatin1.value(0, "日".getBytes(StandardCharsets.UTF_8))).as("as MariaDB: ?").containsExactly('?');
        assertThat(toLatin1.definition(0, column(45, 40))).isEqualTo(column(8, 10));
        assertThat(toLatin1.encode(0, "é")).containsExactly(0xE9);
    }

    @Test
    void resultsNullOrOneEncodingChangeNothing() {
        assertThat(ResultTranscoder.of(COLLATIONS, Optional.empty())).isSameAs(ResultTranscoder.NONE);
        assertThat(ResultTranscoder.of(new int[] {63, 63}, UTF8MB4)).isSameAs(ResultTranscoder.NONE);
        assertThat(ResultTranscoder.of(new int[] {45, 63}, UTF8MB4).changesValues()).isFalse();
        ResultTranscoder binOnly = ResultTranscoder.of(new int[] {46}, UTF8MB4);
        assertThat(binOnly.changesValues()).isFalse();
        ByteBuf row = Unpooled.wrappedBuffer(new byte[] {1, 'a'});
        assertThat(binOnly.textRow(row)).isSameAs(row);
    }

    @Test
    void textRowsAreReencodedFieldByField() {
        ResultTranscoder transcoder = ResultTranscoder.of(COLLATIONS, UTF8MB4);
        ByteBuf row = encode(new MySQLTextResultSetRowPacket(new byte[][] {"é".getBytes(LATIN1), "x".getBytes(
                StandardCharsets.UTF_8), null, {(byte) 0xE9}, "ü".getBytes(StandardCharsets.UTF_8)}));
        ByteBuf expected = encode(new MySQLTextResultSetRowPacket(new byte[][] {"é".getBytes(StandardCharsets.UTF_8),
                "x".getBytes(StandardCharsets.UTF_8), null, {(byte) 0xE9}, "ü".getBytes(StandardCharsets.UTF_8)}));
        assertThat(ByteBufUtil.getBytes(transcoder.textRow(row))).isEqualTo(ByteBufUtil.getBytes(expected));
    }

    /** ASCII reads the same in every charset converted here: such rows go on as they came, copied for nothing. */
    @Test
    void rowsWhoseConvertedValuesAreAsciiAreNotCopied() {
        ResultTranscoder transcoder = ResultTranscoder.of(COLLATIONS, UTF8MB4);
        ByteBuf text = encode(new MySQLTextResultSetRowPacket(new byte[][] {"cafe".getBytes(LATIN1), "ü".getBytes(
                StandardCharsets.UTF_8), null, {(byte) 0xE9}, "x".getBytes(StandardCharsets.UTF_8)}));
        assertThat(transcoder.textRow(text)).isSameAs(text);
        byte[] ascii = "plain".getBytes(LATIN1);
        assertThat(transcoder.value(0, ascii)).isSameAs(ascii);
        int[] types = {MySQLColumnType.LONGLONG.value(), MySQLColumnType.VAR_STRING.value()};
        ByteBuf binary = encode(new MySQLBinaryResultSetRowPacket(types, new byte[][] {
                {(byte) 0xFF, 0, 0, 0, 0, 0, 0, (byte) 0xE9}, "cafe".getBytes(LATIN1)}));
        assertThat(ResultTranscoder.of(new int[] {63, 8}, UTF8MB4).binaryRow(binary, types)).isSameAs(binary);
    }

    /** A value of 251 bytes or more has a 3-byte length; the converted one may need a longer length than it had. */
    @Test
    void longValuesKeepTheirLengthsRight() {
        ResultTranscoder transcoder = ResultTranscoder.of(new int[] {63, 8, 8}, UTF8MB4);
        String accents = "é".repeat(200);
        ByteBuf row = encode(new MySQLTextResultSetRowPacket(new byte[][] {"1".getBytes(StandardCharsets.UTF_8),
                accents.getBytes(LATIN1), "x".repeat(300).getBytes(LATIN1)}));
        ByteBuf expected = encode(new MySQLTextResultSetRowPacket(new byte[][] {"1".getBytes(StandardCharsets.UTF_8),
                accents.getBytes(StandardCharsets.UTF_8), "x".repeat(300).getBytes(StandardCharsets.UTF_8)}));
        assertThat(ByteBufUtil.getBytes(transcoder.textRow(row))).isEqualTo(ByteBufUtil.getBytes(expected));
    }

    @Test
    void binaryRowsSkipFixedAndTemporalValuesAndNulls() {
        int[] collations = {63, 8, 63, 63, 8, 63, 8};
        int[] types = {MySQLColumnType.LONGLONG.value(), MySQLColumnType.VAR_STRING.value(),
                MySQLColumnType.DATETIME.value(), MySQLColumnType.TINY.value(), MySQLColumnType.STRING.value(),
                MySQLColumnType.DOUBLE.value(), MySQLColumnType.BLOB.value()};
        ResultTranscoder transcoder = ResultTranscoder.of(collations, UTF8MB4);
        byte[] datetime = {(byte) 0xEA, 0x07, 1, 2, 3, 4, 5};
        ByteBuf row = encode(new MySQLBinaryResultSetRowPacket(types, new byte[][] {
                {1, 0, 0, 0, 0, 0, 0, (byte) 0xE9}, "café".getBytes(LATIN1), datetime, {(byte) 0xE9}, null,
                {0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F}, "ñ".getBytes(LATIN1)}));
        ByteBuf expected = encode(new MySQLBinaryResultSetRowPacket(types, new byte[][] {
                {1, 0, 0, 0, 0, 0, 0, (byte) 0xE9}, "café".getBytes(StandardCharsets.UTF_8), datetime, {(byte) 0xE9}, null,
                {0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F}, "ñ".getBytes(StandardCharsets.UTF_8)}));
        assertThat(ByteBufUtil.getBytes(transcoder.binaryRow(row, types))).isEqualTo(ByteBufUtil.getBytes(expected));
    }

    private static ByteBuf encode(MySQLPacket packet) {
        ByteBuf buffer = Unpooled.buffer();
        packet.write(new MySQLPayload(buffer));
        return buffer;
    }
}
