package io.shardwire.proxy.protocol.auth;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import javax.crypto.Cipher;

/**
 * The RSA key pair for {@code caching_sha2_password} full authentication on plain connections: clients ask for the
 * public key and send their password encrypted with it.
 *
 * <p>Create one per server (key generation takes a moment) and share it by all connections; it is immutable and
 * thread-safe.
 */
public final class CachingSha2Keys {

    /** The padding MySQL uses (RSA_PKCS1_OAEP_PADDING): OAEP with SHA-1 for both the digest and MGF1. */
    private static final String TRANSFORMATION = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";

    /** The padding of clients that take the server for one older than MySQL 8.0.5. */
    private static final String LEGACY_TRANSFORMATION = "RSA/ECB/PKCS1Padding";

    private static final int KEY_SIZE = 2048;
    private static final int PEM_LINE_LENGTH = 64;

    private final KeyPair keyPair;
    private final String publicKeyPem;

    /**
     * @param keyPair an RSA key pair, e.g. loaded from the files a MySQL server is configured with
     * @throws IllegalArgumentException if the public key is not an RSA key
     */
    public CachingSha2Keys(KeyPair keyPair) {
        if (!(keyPair.getPublic() instanceof RSAPublicKey)) {
            throw new IllegalArgumentException("public key algorithm: " + keyPair.getPublic().getAlgorithm()
                    + " (expected: RSA)");
        }
        this.keyPair = keyPair;
        this.publicKeyPem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(PEM_LINE_LENGTH, new byte[] {'\n'})
                        .encodeToString(keyPair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** A fresh 2048-bit key pair, which is what MySQL generates when none is configured. */
    public static CachingSha2Keys generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_SIZE);
            return new CachingSha2Keys(generator.generateKeyPair());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides RSA", e);
        }
    }

    /** The public key as PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo), as clients expect. */
    public String publicKeyPem() {
        return publicKeyPem;
    }

    /** The public key PEM as the ASCII bytes sent in AuthMoreData. */
    byte[] publicKeyPemBytes() {
        return publicKeyPem.getBytes(US_ASCII);
    }

    /**
     * Decrypts a client's encrypted password: OAEP as MySQL 8.0.5+ clients send it, else PKCS#1 v1.5, which
     * clients use when they take the server for an older version (Connector/J does below 8.0.5). A new Cipher
     * each time, since Cipher is not thread-safe.
     */
    byte[] decrypt(byte[] encrypted) throws GeneralSecurityException {
        try {
            return decrypt(encrypted, TRANSFORMATION);
        } catch (GeneralSecurityException notOaep) {
            return decrypt(encrypted, LEGACY_TRANSFORMATION);
        }
    }

    private byte[] decrypt(byte[] encrypted, String transformation) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(transformation);
        cipher.init(Cipher.DECRYPT_MODE, keyPair.getPrivate());
        return cipher.doFinal(encrypted);
    }
}
