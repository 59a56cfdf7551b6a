package io.shardwire.proxy.protocol.packet.command;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class QueryTextTest {

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String text) {
                out.writeBytes(text.getBytes(UTF_8));
            } else {
                out.write((Integer) part);
            }
        }
        return out.toByteArray();
    }

    @Test
    void validTextIsDecodedAsItIs() {
        assertThat(QueryText.decode(bytes("SELECT 'héllo', `tâble`"), UTF_8)).contains("SELECT 'héllo', `tâble`");
    }

    @Test
    void aLiteralWithBytesThatAreNoTextBecomesAHexLiteralOfExactlyThoseBytes() {
        byte[] sql = bytes("INSERT INTO t VALUES (_binary'", 0x80, 0xff, "\\'\\\\\\0x''", 0xc3, "', 'é')");
        assertThat(QueryText.decode(sql, UTF_8))
                .contains("INSERT INTO t VALUES (_binary X'80ff275c007827c3', 'é')");
    }

    @Test
    void likeWildcardEscapesKeepTheirBackslash() {
        byte[] sql = bytes("SELECT '", 0xff, "\\%\\_'");
        assertThat(QueryText.decode(sql, UTF_8)).contains("SELECT  X'ff5c255c5f'");
    }

    @Test
    void invalidBytesOutsideLiteralsCannotBeKept() {
        assertThat(QueryText.decode(bytes("SELECT ", 0xff), UTF_8)).isEmpty();
    }
}
