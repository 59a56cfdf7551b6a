package io.shardwire.proxy.backend.nativ;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag;
import io.shardwire.proxy.protocol.constant.MySQLCharacterSet;
import io.shardwire.proxy.protocol.packet.handshake.MySQLHandshakeResponse41Packet;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;

/**
 * The client side of the login of a native backend connection: the capabilities it asks for (those the JDBC pool's
 * connections use, without CLIENT_FOUND_ROWS, which matters only for writes) and {@code mysql_native_password}, the
 * one plugin it speaks.
 */
final class NativeAuth {

    /** The one plugin this client implements. */
    static final String NATIVE_PASSWORD = "mysql_native_password";

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
     * {@code mysql_native_password}'s proof: SHA1(password) XOR SHA1(seed + SHA1(SHA1(password))); empty for an
     * empty password. Only the first 20 bytes of the seed count (servers end it with a NUL).
     */
    static byte[] scramble(String password, byte[] seed) {
        if (password == null || password.isEmpty()) {
            return new byte[0];
        }
        MessageDigest sha1 = sha1();
        byte[] stage1 = sha1.digest(password.getBytes(UTF_8));
        byte[] stage2 = sha1.digest(stage1);
        sha1.update(Arrays.copyOf(seed, Math.min(seed.length, 20)));
        byte[] proof = sha1.digest(stage2);
        for (int i = 0; i < proof.length; i++) {
            proof[i] ^= stage1[i];
        }
        return proof;
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-1", e);
        }
    }
}
