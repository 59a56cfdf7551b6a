package io.shardwire.proxy.protocol.auth;

import static io.shardwire.proxy.protocol.PacketBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MySQLNativePasswordTest {

    private static final byte[] SCRAMBLE = hex("0102030405060708090a0b0c0d0e0f1011121314");

    @Test
    void acceptsTheKnownVector() {
        // computed with Python's hashlib for password "secret" and scramble 0x01..0x14
        byte[] response = hex("b32bb3a583e1340c0a1108d58b1be49781ad8c2f");

        assertThat(MySQLNativePassword.verify("secret", SCRAMBLE, response)).isTrue();
    }

    @Test
    void acceptsWhatAClientComputes() throws Exception {
        byte[] scramble = hex("3a5f7c21105e6b0a4d2f1c3e5a6b7c0d1e2f3a4b");

        assertThat(MySQLNativePassword.verify("pässwörd", scramble, ClientSide.nativeScramble("pässwörd", scramble)))
                .isTrue();
    }

    @Test
    void rejectsAnotherPasswordOrScramble() throws Exception {
        byte[] response = ClientSide.nativeScramble("secret", SCRAMBLE);

        assertThat(MySQLNativePassword.verify("Secret", SCRAMBLE, response)).isFalse();
        assertThat(MySQLNativePassword.verify("secret", hex("0102030405060708090a0b0c0d0e0f1011121315"), response))
                .isFalse();
        assertThat(MySQLNativePassword.verify("secret", SCRAMBLE, new byte[0])).isFalse();
    }

    @Test
    void emptyPasswordMatchesOnlyAnEmptyResponse() throws Exception {
        assertThat(MySQLNativePassword.verify("", SCRAMBLE, new byte[0])).isTrue();
        assertThat(MySQLNativePassword.verify("", SCRAMBLE, new byte[] {0})).isTrue();
        assertThat(MySQLNativePassword.verify("", SCRAMBLE, ClientSide.nativeScramble("x", SCRAMBLE))).isFalse();
    }
}
