package io.shardwire.proxy.protocol.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Server-side check of
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_authentication_methods_native_password_authentication.html">
 * mysql_native_password</a>: the client proves it knows the password by sending
 * {@code SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password)))}, 20 bytes. An empty password is proven by an
 * empty response.
 *
 * <p>Shardwire holds clear-text passwords, so it recomputes the client's answer instead of reversing it as MySQL
 * does from the stored double hash. Passwords are taken as UTF-8, what connectors send by default.
 */
public final class MySQLNativePassword {

    private MySQLNativePassword() {
    }

    /**
     * Whether {@code authResponse} proves knowledge of {@code password} for this {@code scramble}.
     *
     * @param password the user's clear-text password
     * @param scramble the 20-byte scramble the server sent
     * @param authResponse what the client answered
     */
    public static boolean verify(String password, byte[] scramble, byte[] authResponse) {
        if (password.isEmpty()) {
            return MySQLAuthPlugin.isEmptyResponse(authResponse);
        }
        MessageDigest sha1 = sha1();
        byte[] stage1 = sha1.digest(password.getBytes(UTF_8));
        byte[] stage2 = sha1.digest(stage1);
        sha1.update(scramble);
        byte[] expected = sha1.digest(stage2);
        for (int i = 0; i < expected.length; i++) {
            expected[i] ^= stage1[i];
        }
        return MessageDigest.isEqual(expected, authResponse);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-1", e);
        }
    }
}
