package io.shardwire.proxy.backend.nativ;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.binary.MySQLBinaryParameters;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeCommandsTest {

    private static final UnpooledByteBufAllocator ALLOCATOR = UnpooledByteBufAllocator.DEFAULT;

    private static ByteBuf encoded(MySQLPacket packet) {
        ByteBuf buffer = ALLOCATOR.buffer();
        packet.write(new MySQLPayload(buffer));
        return buffer;
    }

    @Test
    void anExecuteDecodesToTheValuesItBound() {
        List<Object> values = Arrays.asList(42L, -7L, null, new BigInteger("18446744073709551615"), 1.5f, -2.25d,
                new BigDecimal("-12345.6789"), "héllo ✓", new byte[] {0, (byte) 0xFF, 7});
        ByteBuf execute = encoded(NativeCommands.execute(0x01020304L, values));
        try {
            MySQLPayload payload = new MySQLPayload(execute);
            assertThat(payload.readInt1()).as("COM_STMT_EXECUTE").isEqualTo(0x17);
            assertThat(payload.readInt4()).isEqualTo(0x01020304);
            assertThat(payload.readInt1()).as("no cursor").isZero();
            assertThat(payload.readInt4()).as("iterations").isEqualTo(1);
            MySQLBinaryParameters decoded = MySQLBinaryParameters.read(payload, values.size(), null, Map.of(), UTF_8);
            assertThat(decoded.values().subList(0, 3)).containsExactly(42L, -7L, null);
            // An unsigned BigInteger goes as an exact DECIMAL, as the JDBC path binds it.
            assertThat(decoded.values().get(3)).isEqualTo(new BigDecimal("18446744073709551615"));
            assertThat(decoded.values().subList(4, 8)).containsExactly(1.5f, -2.25d, new BigDecimal("-12345.6789"),
                    "héllo ✓");
            assertThat((byte[]) decoded.values().get(8)).containsExactly(0, 0xFF, 7);
            assertThat(payload.isReadable()).isFalse();
        } finally {
            execute.release();
        }
    }

    @Test
    void anExecuteWithoutParametersHasNoParameterBlock() {
        ByteBuf execute = encoded(NativeCommands.execute(9, List.of()));
        try {
            assertThat(execute.readableBytes()).isEqualTo(1 + 4 + 1 + 4);
        } finally {
            execute.release();
        }
    }

    @Test
    void onlyTheKindsTheJdbcPathBindsAlikeAreBindable() {
        assertThat(NativeCommands.bindable(Arrays.asList(1L, null, "s", new byte[0], 1.0d, BigDecimal.ONE))).isTrue();
        assertThat(NativeCommands.bindable(List.of(LocalDate.of(2026, 11, 26)))).isFalse();
        assertThat(NativeCommands.bindable(List.of(1))).as("an Integer, which the binary decoder never makes")
                .isFalse();
        assertThatThrownBy(() -> NativeCommands.execute(1, List.of(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void prepareAndQueryCarryTheTextInUtf8() {
        ByteBuf prepare = NativeCommands.prepare(ALLOCATOR, "SELECT 'ü' FROM t WHERE id = ?");
        ByteBuf query = NativeCommands.query(ALLOCATOR, "SET x = 1");
        try {
            assertThat(prepare.readUnsignedByte()).isEqualTo((short) 0x16);
            assertThat(prepare.toString(UTF_8)).isEqualTo("SELECT 'ü' FROM t WHERE id = ?");
            assertThat(query.readUnsignedByte()).isEqualTo((short) 0x03);
            assertThat(query.toString(UTF_8)).isEqualTo("SET x = 1");
        } finally {
            prepare.release();
            query.release();
        }
    }
}
