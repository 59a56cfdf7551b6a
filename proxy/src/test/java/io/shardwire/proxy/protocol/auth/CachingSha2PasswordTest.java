package io.shardwire.proxy.protocol.auth;

import static io.shardwire.proxy.protocol.PacketBytes.hex;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.interfaces.RSAPublicKey;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

class CachingSha2PasswordTest {

    static final CachingSha2Keys KEYS = CachingSha2Keys.generate();

    private static final byte[] SCRAMBLE = hex("0102030405060708090a0b0c0d0e0f1011121314");

    @Test
    void acceptsTheKnownVector() {
        // computed with Python's hashlib for password "secret" and scramble 0x01..0x14
        byte[] response = hex("746ebe205d56a0707acb3e796e834e0dd7b1d61743b26bd5202c7a623230c7c9");

        assertThat(CachingSha2Password.verifyScramble("secret", SCRAMBLE, response)).isTrue();
    }

    @Test
    void acceptsWhatAClientComputesAndNothingElse() throws Exception {
        byte[] response = ClientSide.sha2Scramble("secret", SCRAMBLE);

        assertThat(CachingSha2Password.verifyScramble("secret", SCRAMBLE, response)).isTrue();
        assertThat(CachingSha2Password.verifyScramble("secret2", SCRAMBLE, response)).isFalse();
        byte[] nativeResponse = ClientSide.nativeScramble("secret", SCRAMBLE);
        assertThat(CachingSha2Password.verifyScramble("secret", SCRAMBLE, nativeResponse)).isFalse();
    }

    @Test
    void emptyPasswordMatchesOnlyAnEmptyResponse() throws Exception {
        assertThat(CachingSha2Password.verifyScramble("", SCRAMBLE, new byte[] {0})).isTrue();
        assertThat(CachingSha2Password.verifyScramble("", SCRAMBLE, new byte[0])).isTrue();
        assertThat(CachingSha2Password.verifyScramble("", SCRAMBLE, ClientSide.sha2Scramble("x", SCRAMBLE))).isFalse();
        assertThat(CachingSha2Password.verifyScramble("secret", SCRAMBLE, new byte[] {0})).isFalse();
    }

    @Test
    void publicKeyIsAPemAClientCanParse() throws Exception {
        String pem = KEYS.publicKeyPem();

        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("\n-----END PUBLIC KEY-----\n");
        assertThat(pem.lines().skip(1).limit(5)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
        assertThat(((RSAPublicKey) ClientSide.parsePem(pem)).getModulus().bitLength()).isEqualTo(2048);
    }

    @Test
    void fullAuthenticationAcceptsThePasswordEncryptedAsAClientDoes() throws Exception {
        byte[] encrypted = ClientSide.encryptPassword("secret", SCRAMBLE, KEYS.publicKeyPem());

        assertThat(encrypted).hasSize(256);
        assertThat(CachingSha2Password.verifyEncryptedPassword("secret", SCRAMBLE, encrypted, KEYS)).isTrue();
        assertThat(CachingSha2Password.verifyEncryptedPassword("secreT", SCRAMBLE, encrypted, KEYS)).isFalse();
    }

    @Test
    void fullAuthenticationAcceptsPkcs1PaddingFromClientsThatTakeUsForAnOlderServer() throws Exception {
        byte[] encrypted = ClientSide.encryptPasswordLegacy("secret", SCRAMBLE, KEYS.publicKeyPem());

        assertThat(CachingSha2Password.verifyEncryptedPassword("secret", SCRAMBLE, encrypted, KEYS)).isTrue();
        assertThat(CachingSha2Password.verifyEncryptedPassword("secreT", SCRAMBLE, encrypted, KEYS)).isFalse();
    }

    @Test
    void fullAuthenticationRepeatsTheScrambleForLongPasswords() throws Exception {
        String password = "a password much longer than the twenty-byte scramble";
        byte[] encrypted = ClientSide.encryptPassword(password, SCRAMBLE, KEYS.publicKeyPem());

        assertThat(CachingSha2Password.verifyEncryptedPassword(password, SCRAMBLE, encrypted, KEYS)).isTrue();
    }

    @Test
    void fullAuthenticationRejectsGarbageAndAMissingNul() throws Exception {
        assertThat(CachingSha2Password.verifyEncryptedPassword("secret", SCRAMBLE, new byte[256], KEYS)).isFalse();
        assertThat(CachingSha2Password.verifyEncryptedPassword("secret", SCRAMBLE, "secret".getBytes(UTF_8), KEYS))
                .isFalse();

        byte[] withoutNul = "secret".getBytes(UTF_8);
        for (int i = 0; i < withoutNul.length; i++) {
            withoutNul[i] ^= SCRAMBLE[i];
        }
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        cipher.init(Cipher.ENCRYPT_MODE, ClientSide.parsePem(KEYS.publicKeyPem()));
        assertThat(CachingSha2Password.verifyEncryptedPassword("secret", SCRAMBLE, cipher.doFinal(withoutNul), KEYS))
                .isFalse();
    }

    @Test
    void fullAuthenticationRejectsAnotherKey() throws Exception {
        byte[] encrypted = ClientSide.encryptPassword("secret", SCRAMBLE, CachingSha2Keys.generate().publicKeyPem());

        assertThat(CachingSha2Password.verifyEncryptedPassword("secret", SCRAMBLE, encrypted, KEYS)).isFalse();
    }

    @Test
    void authCacheRemembersWarmedUsers() {
        AuthCache cache = new AuthCache();
        cache.warm("alice");

        assertThat(cache.contains("alice")).isTrue();
        assertThat(cache.contains("bob")).isFalse();
    }
}
