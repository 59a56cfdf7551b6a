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
        return MessageDigest.isEqual(proof(password, scramble), authResponse);
    }

    /**
     * The client's answer for a non-empty {@code password}: what a server checks, and what the proxy sends when it
     * logs in to a backend itself.
     *
     * @param password the clear-text password, not empty
     * @param scramble the 20-byte scramble the server sent
     */
    public static byte[] proof(String password, byte[] scramble) {
        MessageDigest sha1 = sha1();
        byte[] stage1 = sha1.digest(password.getBytes(UTF_8));
        byte[] stage2 = sha1.digest(stage1);
        sha1.update(scramble);
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
