package io.shardwire.proxy.backend.nativ;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.auth.MySQLNativePassword;
import io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag;
import io.shardwire.proxy.protocol.packet.handshake.MySQLHandshakeResponse41Packet;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeAuthTest {

    private static final byte[] SEED = "abcdefghij0123456789".getBytes();
    private static final NativeTarget TARGET = new NativeTarget("g0", NativeTarget.PRIMARY, "127.0.0.1", 3310, "shardwire", "s3cret",
            "shop_0", true, List.of());

    @Test
    void theScrambleIsWhatAServerChecks() {
        byte[] proof = NativeAuth.scramble("s3cret", SEED);
        assertThat(MySQLNativePassword.verify("s3cret", SEED, proof)).isTrue();
        assertThat(MySQLNativePassword.verify("other", SEED, proof)).isFalse();
        // Servers end the seed of an auth switch with a NUL: it does not count.
        assertThat(NativeAuth.scramble("s3cret", Arrays.copyOf(SEED, 21))).isEqualTo(proof);
        assertThat(NativeAuth.scramble("", SEED)).isEmpty();
    }

    @Test
    void theResponseLogsIntoTheNodeDatabaseWithNativePassword() {
        ByteBuf buffer = Unpooled.buffer();
        NativeAuth.response(TARGET, SEED).write(new MySQLPayload(buffer));
        MySQLHandshakeResponse41Packet response = MySQLHandshakeResponse41Packet.read(new MySQLPayload(buffer));
        assertThat(response.username()).isEqualTo("shardwire");
        assertThat(response.database()).contains("shop_0");
        assertThat(response.authPluginName()).contains("mysql_native_password");
        assertThat(MySQLNativePassword.verify("s3cret", SEED, response.authResponse())).isTrue();
        assertThat(MySQLCapabilityFlag.CLIENT_DEPRECATE_EOF.isSet(response.capabilities())).isTrue();
        assertThat(MySQLCapabilityFlag.CLIENT_FOUND_ROWS.isSet(response.capabilities())).isFalse();
        assertThat(MySQLCapabilityFlag.CLIENT_DEPRECATE_EOF.isSet(NativeAuth.capabilities(false))).isFalse();
    }
}
