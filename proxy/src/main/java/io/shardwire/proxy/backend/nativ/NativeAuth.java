package io.shardwire.proxy.backend.nativ;

import io.shardwire.proxy.protocol.auth.MySQLAuthPlugin;
import io.shardwire.proxy.protocol.auth.MySQLNativePassword;
import io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag;
import io.shardwire.proxy.protocol.constant.MySQLCharacterSet;
import io.shardwire.proxy.protocol.packet.handshake.MySQLHandshakeResponse41Packet;
import java.util.Arrays;
import java.util.Map;

/**
 * The client side of the login of a native backend connection: the capabilities it asks for (those the JDBC pool's
 * connections use, without CLIENT_FOUND_ROWS, which matters only for writes) and {@code mysql_native_password}, the
 * one plugin it speaks.
 */
final class NativeAuth {

    /** The one plugin this client implements. */
    static final String NATIVE_PASSWORD = MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD.pluginName();

    private static final int MAX_PACKET = 1 << 30;

    private NativeAuth() {
    }

    /** The capabilities asked of the server. */
    static int capabilities(boolean deprecateEof) {
        int flags = MySQLCapabilityFlag.CLIENT_LONG_PASSWORD.value() | MySQLCapabilityFlag.CLIENT_LONG_FLAG.value()
                | MySQLCapabilityFlag.CLIENT_CONNECT_WITH_DB.value() | MySQLCapabilityFlag.CLIENT_PROTOCOL_41.value()
                | MySQLCapabilityFlag.CLIENT_TRANSACTIONS.value() | MySQLCapabilityFlag.CLIENT_SECURE_CONNECTION.value()
                | MySQLCapabilityFlag.CLIENT_MULTI_RESULTS.value() | MySQLCapabilityFlag.CLIENT_PS_MULTI_RESULTS.value()
                | MySQLCapabilityFlag.CLIENT_PLUGIN_AUTH.value()
                | MySQLCapabilityFlag.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA.value();
        return deprecateEof ? flags | MySQLCapabilityFlag.CLIENT_DEPRECATE_EOF.value() : flags;
    }

    /** The answer to the server's greeting, always computed with {@code mysql_native_password}. */
    static MySQLHandshakeResponse41Packet response(NativeTarget target, byte[] seed) {
        return new MySQLHandshakeResponse41Packet(capabilities(target.deprecateEof()), MAX_PACKET,
                MySQLCharacterSet.UTF8MB4_GENERAL_CI, target.user(), scramble(target.password(), seed),
                target.database(), NATIVE_PASSWORD, Map.of());
    }

    /**
     * {@code mysql_native_password}'s proof ({@link MySQLNativePassword#proof}); empty for an empty password. Only the
     * first 20 bytes of the seed count (servers end it with a NUL).
     */
    static byte[] scramble(String password, byte[] seed) {
        if (password == null || password.isEmpty()) {
            return new byte[0];
        }
        return MySQLNativePassword.proof(password, Arrays.copyOf(seed, Math.min(seed.length, 20)));
    }
}
