package io.shardwire.proxy.protocol.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Server-side checks of
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html">
 * caching_sha2_password</a>.
 *
 * <ul>
 *   <li><b>Fast authentication:</b> the client sends
 *       {@code XOR(SHA256(password), SHA256(SHA256(SHA256(password)), scramble))}, 32 bytes. MySQL accepts it only
 *       for accounts in its cache; {@link AuthenticationHandler} keeps that rule with {@link AuthCache}.</li>
 *   <li><b>Full authentication</b> over a plain connection: the client XORs the password and a terminating NUL
 *       with the scramble (repeated as needed) and encrypts the result with the server's RSA public key
 *       (RSA_PKCS1_OAEP_PADDING: OAEP with SHA-1 and MGF1).</li>
 * </ul>
 *
 * <p>The single bytes exchanged inside AuthMoreData packets are constants here. Passwords are taken as UTF-8.
 */
public final class CachingSha2Password {

    /** Client to server: send me your RSA public key. */
    public static final byte REQUEST_PUBLIC_KEY = 0x02;

    /** Server to client: the scramble matched the cached account; OK follows. */
    public static final byte FAST_AUTH_SUCCESS = 0x03;

    /** Server to client: no cache hit; send the password by full authentication. */
    public static final byte PERFORM_FULL_AUTHENTICATION = 0x04;

    private static final int SCRAMBLE_RESPONSE_LENGTH = 32;

    private CachingSha2Password() {
    }

    /**
     * Fast authentication: whether {@code authResponse} is the scramble of {@code password} for this
     * {@code scramble}. An empty password is proven by an empty response.
     *
     * @param password the user's clear-text password
     * @param scramble the 20-byte scramble the server sent
     * @param authResponse what the client answered
     */
    public static boolean verifyScramble(String password, byte[] scramble, byte[] authResponse) {
        if (password.isEmpty()) {
            return MySQLAuthPlugin.isEmptyResponse(authResponse);
        }
        if (authResponse.length != SCRAMBLE_RESPONSE_LENGTH) {
            return false;
        }
        MessageDigest sha256 = sha256();
        byte[] stage1 = sha256.digest(password.getBytes(UTF_8));
        byte[] stage2 = sha256.digest(stage1);
        sha256.update(stage2);
        byte[] expected = sha256.digest(scramble);
        for (int i = 0; i < expected.length; i++) {
            expected[i] ^= stage1[i];
        }
        return MessageDigest.isEqual(expected, authResponse);
    }

    /**
     * Full authentication over a plain connection: whether {@code encrypted} decrypts, with the server's private
     * key, to {@code password} + NUL XORed with {@code scramble}. Anything that does not decrypt is a mismatch.
     *
     * @param password the user's clear-text password
     * @param scramble the 20-byte scramble the server sent
     * @param encrypted what the client answered
     * @param keys the server's key pair, whose public key the client encrypted with
     */
    public static boolean verifyEncryptedPassword(String password, byte[] scramble, byte[] encrypted,
            CachingSha2Keys keys) {
        byte[] plain;
        try {
            plain = keys.decrypt(encrypted);
        } catch (GeneralSecurityException e) {
            return false;
        }
        for (int i = 0; i < plain.length; i++) {
            plain[i] ^= scramble[i % scramble.length];
        }
        if (plain.length == 0 || plain[plain.length - 1] != 0) {
            return false;
        }
        return MessageDigest.isEqual(Arrays.copyOf(plain, plain.length - 1), password.getBytes(UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
