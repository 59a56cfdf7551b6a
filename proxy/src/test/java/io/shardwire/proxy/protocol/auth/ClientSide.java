package io.shardwire.proxy.protocol.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;

/** What a MySQL client computes, written out independently of the server-side code under test. */
final class ClientSide {

    private ClientSide() {
    }

    /** mysql_native_password: SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))). */
    static byte[] nativeScramble(String password, byte[] scramble) throws GeneralSecurityException {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] hash = sha1.digest(password.getBytes(UTF_8));
        byte[] doubleHash = sha1.digest(hash);
        sha1.update(scramble);
        sha1.update(doubleHash);
        return xor(hash, sha1.digest());
    }

    /** caching_sha2_password: XOR(SHA256(password), SHA256(SHA256(SHA256(password)), scramble)). */
    static byte[] sha2Scramble(String password, byte[] scramble) throws GeneralSecurityException {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] hash = sha256.digest(password.getBytes(UTF_8));
        byte[] doubleHash = sha256.digest(hash);
        sha256.update(doubleHash);
        sha256.update(scramble);
        return xor(hash, sha256.digest());
    }

    /** caching_sha2_password full authentication: RSA-OAEP(password + NUL XOR scramble repeated). */
    static byte[] encryptPassword(String password, byte[] scramble, String publicKeyPem)
            throws GeneralSecurityException {
        return encryptPassword(password, scramble, publicKeyPem, "RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
    }

    /** As a client does that takes the server for one older than MySQL 8.0.5 (Connector/J): PKCS#1 v1.5 padding. */
    static byte[] encryptPasswordLegacy(String password, byte[] scramble, String publicKeyPem)
            throws GeneralSecurityException {
        return encryptPassword(password, scramble, publicKeyPem, "RSA/ECB/PKCS1Padding");
    }

    private static byte[] encryptPassword(String password, byte[] scramble, String publicKeyPem, String transformation)
            throws GeneralSecurityException {
        byte[] text = (password + '\0').getBytes(UTF_8);
        for (int i = 0; i < text.length; i++) {
            text[i] ^= scramble[i % scramble.length];
        }
        Cipher cipher = Cipher.getInstance(transformation);
        cipher.init(Cipher.ENCRYPT_MODE, parsePem(publicKeyPem));
        return cipher.doFinal(text);
    }

    static PublicKey parsePem(String pem) throws GeneralSecurityException {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static byte[] xor(byte[] left, byte[] right) {
        byte[] result = new byte[left.length];
        for (int i = 0; i < left.length; i++) {
            result[i] = (byte) (left[i] ^ right[i]);
        }
        return result;
    }
}
