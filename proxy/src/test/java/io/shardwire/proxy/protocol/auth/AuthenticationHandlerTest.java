package io.shardwire.proxy.protocol.auth;

import static io.shardwire.proxy.protocol.PacketBytes.hex;
import static io.shardwire.proxy.protocol.PacketBytes.write;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.shardwire.proxy.protocol.MySQLPacketCodec;
import io.shardwire.proxy.protocol.packet.command.MySQLComChangeUserPacket;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.proxy.protocol.packet.generic.MySQLErrPacket;
import io.shardwire.proxy.protocol.packet.handshake.MySQLAuthMoreDataPacket;
import io.shardwire.proxy.protocol.packet.handshake.MySQLAuthSwitchRequestPacket;
import io.shardwire.proxy.protocol.packet.handshake.MySQLHandshakeResponse41Packet;
import io.shardwire.proxy.protocol.packet.handshake.MySQLHandshakeV10Packet;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthenticationHandlerTest {

    /** What Connector/J 8 sends, including capabilities the server does not offer. */
    private static final int CLIENT_CAPABILITIES = MySQLCapabilityFlag.of(
            MySQLCapabilityFlag.CLIENT_LONG_PASSWORD, MySQLCapabilityFlag.CLIENT_FOUND_ROWS,
            MySQLCapabilityFlag.CLIENT_LONG_FLAG, MySQLCapabilityFlag.CLIENT_CONNECT_WITH_DB,
            MySQLCapabilityFlag.CLIENT_LOCAL_FILES, MySQLCapabilityFlag.CLIENT_PROTOCOL_41,
            MySQLCapabilityFlag.CLIENT_TRANSACTIONS, MySQLCapabilityFlag.CLIENT_SECURE_CONNECTION,
            MySQLCapabilityFlag.CLIENT_MULTI_STATEMENTS, MySQLCapabilityFlag.CLIENT_MULTI_RESULTS,
            MySQLCapabilityFlag.CLIENT_PLUGIN_AUTH, MySQLCapabilityFlag.CLIENT_CONNECT_ATTRS,
            MySQLCapabilityFlag.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA, MySQLCapabilityFlag.CLIENT_SESSION_TRACK,
            MySQLCapabilityFlag.CLIENT_DEPRECATE_EOF);

    private static final String NATIVE = "mysql_native_password";
    private static final String SHA2 = "caching_sha2_password";
    private static final byte[] OK_AUTOCOMMIT = hex("00 00 00 0200 0000");

    private final Map<String, String> passwords = Map.of("alice", "secret", "nopw", "");
    private final AuthCache authCache = new AuthCache();
    private final List<AuthenticatedClient> started = new ArrayList<>();
    private final List<Object> commandPhaseInput = new ArrayList<>();
    private SessionStarter sessionStarter = (ctx, client) -> {
        started.add(client);
        ctx.pipeline().addLast("command", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext commandCtx, Object msg) {
                commandPhaseInput.add(msg);
            }
        });
        return Optional.empty();
    };
    private EmbeddedChannel channel;
    private MySQLHandshakeV10Packet greeting;

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
        commandPhaseInput.forEach(msg -> ((ByteBuf) msg).release());
    }

    private void connect(MySQLAuthPlugin defaultPlugin) {
        connect(defaultPlugin, 1 << 20);
    }

    private void connect(MySQLAuthPlugin defaultPlugin, int maxPacketSize) {
        connect(defaultPlugin, maxPacketSize, TransportSecurity.PLAIN);
    }

    private void connect(MySQLAuthPlugin defaultPlugin, int maxPacketSize, TransportSecurity transport) {
        channel = new EmbeddedChannel(new MySQLPacketCodec(maxPacketSize),
                new AuthenticationHandler(config(defaultPlugin, transport), 42));
        greeting = MySQLHandshakeV10Packet.read(readPacket(0));
    }

    private AuthConfig config(MySQLAuthPlugin defaultPlugin, TransportSecurity transport) {
        return new AuthConfig("8.0.36-shardwire", defaultPlugin,
                user -> Optional.ofNullable(passwords.get(user)), CachingSha2PasswordTest.KEYS, authCache,
                (ctx, client) -> sessionStarter.start(ctx, client), Duration.ofSeconds(10), transport);
    }

    /**
     * A connection in the command phase that has just read a COM_CHANGE_USER (sequence id 0): its authentication
     * handler takes over, as the command handler hands it the request.
     */
    private void changeUser(int capabilities, String user, byte[] authResponse, String plugin) {
        channel = new EmbeddedChannel(new MySQLPacketCodec(1 << 20));
        send(0, hex("11"));
        ((ByteBuf) channel.readInbound()).release();
        MySQLComChangeUserPacket request = new MySQLComChangeUserPacket(user, authResponse, "crm", 8, plugin);
        channel.pipeline().addLast("auth", AuthenticationHandler.forChangeUser(
                config(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD, TransportSecurity.PLAIN), 42,
                request.asHandshakeResponse(capabilities, 255)));
    }

    @Test
    void aChangeOfUserAnswersAFreshScrambleWithTheNamedPluginThenStartsTheNewSession() throws Exception {
        authCache.warm("alice");
        changeUser(CLIENT_CAPABILITIES, "alice", new byte[20], SHA2);

        MySQLAuthSwitchRequestPacket request = MySQLAuthSwitchRequestPacket.read(readPacket(1));
        assertThat(request.authPluginName()).isEqualTo(SHA2);
        assertThat(request.authPluginData()).hasSize(20);
        send(2, ClientSide.sha2Scramble("secret", request.authPluginData()));

        assertThat(readPacketBytes(3)).isEqualTo(hex("01 03"));
        assertThat(readPacketBytes(4)).isEqualTo(OK_AUTOCOMMIT);
        assertThat(started).singleElement().satisfies(client -> {
            assertThat(client.user()).isEqualTo("alice");
            assertThat(client.schema()).isEqualTo("crm");
            assertThat(client.characterSet()).as("the change-user packet's collation").isEqualTo(8);
        });
        assertAuthenticatedAndHandedOver();
    }

    @Test
    void aChangeOfUserWithAWrongPasswordIsDeniedAndTheConnectionClosed() throws Exception {
        changeUser(CLIENT_CAPABILITIES, "alice", new byte[20], null);

        MySQLAuthSwitchRequestPacket request = MySQLAuthSwitchRequestPacket.read(readPacket(1));
        assertThat(request.authPluginName()).as("the default plugin, none named").isEqualTo(NATIVE);
        send(2, ClientSide.nativeScramble("wrong", request.authPluginData()));

        assertRefusedWith(3, new MySQLErrPacket(1045, "28000", accessDenied("alice", "YES")));
    }

    @Test
    void aClientWithoutPluginAuthCannotAnswerAChangeOfUser() {
        changeUser(CLIENT_CAPABILITIES & ~MySQLCapabilityFlag.CLIENT_PLUGIN_AUTH.value(), "alice", new byte[20], null);

        assertRefusedWith(1, MySQLErrPacket.of(MySQLErrorCode.ER_NOT_SUPPORTED_AUTH_MODE));
    }

    /** Reads the next packet the server sent, checking its sequence id, and returns its payload. */
    private MySQLPayload readPacket(int expectedSequenceId) {
        ByteBuf frame = channel.readOutbound();
        assertThat(frame).as("a packet from the server").isNotNull();
        try {
            int length = frame.readUnsignedMediumLE();
            assertThat(frame.readUnsignedByte()).as("sequence id").isEqualTo((short) expectedSequenceId);
            assertThat(frame.readableBytes()).as("payload length").isEqualTo(length);
            return new MySQLPayload(Unpooled.wrappedBuffer(ByteBufUtil.getBytes(frame)));
        } finally {
            frame.release();
        }
    }

    private byte[] readPacketBytes(int expectedSequenceId) {
        return readPacket(expectedSequenceId).readBytesEOF();
    }

    private MySQLErrPacket readErr(int expectedSequenceId) {
        return MySQLErrPacket.read(readPacket(expectedSequenceId));
    }

    private boolean nothingMoreSent() {
        return channel.outboundMessages().isEmpty();
    }

    private void send(int sequenceId, byte[] payload) {
        channel.writeInbound(frame(Unpooled.buffer(), sequenceId, payload));
    }

    private static ByteBuf frame(ByteBuf out, int sequenceId, byte[] payload) {
        return out.writeMediumLE(payload.length).writeByte(sequenceId).writeBytes(payload);
    }

    private void sendResponse(String user, byte[] authResponse, String plugin) {
        sendResponse(CLIENT_CAPABILITIES, user, authResponse, "shop", plugin);
    }

    private void sendResponse(int capabilities, String user, byte[] authResponse, String database, String plugin) {
        send(1, write(new MySQLHandshakeResponse41Packet(capabilities, 1 << 24, 255, user, authResponse, database,
                plugin, Map.of("_client_name", "test"))));
    }

    private static String accessDenied(String user, String usingPassword) {
        return "Access denied for user '" + user + "'@'embedded' (using password: " + usingPassword + ")";
    }

    private void assertAuthenticatedAndHandedOver() {
        assertThat(channel.pipeline().get(AuthenticationHandler.class)).isNull();
        assertThat(channel.isOpen()).isTrue();
        assertThat(nothingMoreSent()).isTrue();
        send(0, hex("0e"));
        assertThat(commandPhaseInput).hasSize(1);
        assertThat(ByteBufUtil.getBytes((ByteBuf) commandPhaseInput.get(0))).isEqualTo(hex("0e"));
    }

    private void assertRefusedWith(int sequenceId, MySQLErrPacket expected) {
        assertThat(readErr(sequenceId)).isEqualTo(expected);
        assertThat(channel.isOpen()).isFalse();
        assertThat(started).isEmpty();
    }

    @Test
    void greetsWithAFreshScrambleAndTheServerCapabilities() {
        connect(MySQLAuthPlugin.CACHING_SHA2_PASSWORD);

        assertThat(greeting.serverVersion()).isEqualTo("8.0.36-shardwire");
        assertThat(greeting.connectionId()).isEqualTo(42);
        assertThat(greeting.capabilities()).isEqualTo(0x013BA60F).isEqualTo(AuthenticationHandler.SERVER_CAPABILITIES);
        assertThat(greeting.characterSet()).isEqualTo(45);
        assertThat(greeting.statusFlags()).isEqualTo(0x0002);
        assertThat(greeting.authPluginName()).isEqualTo(SHA2);
        assertThat(greeting.authPluginData()).hasSize(20);
        for (byte b : greeting.authPluginData()) {
            assertThat(b).isBetween((byte) 1, (byte) 127);
        }

        byte[] firstScramble = greeting.authPluginData();
        channel.finishAndReleaseAll();
        connect(MySQLAuthPlugin.CACHING_SHA2_PASSWORD);
        assertThat(greeting.authPluginData()).isNotEqualTo(firstScramble);
    }

    @Test
    void offersTlsWhenConfiguredAndRefusesPlainLoginsWhenItIsRequired() throws Exception {
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD, 1 << 20, TransportSecurity.TLS_REQUIRED);
        assertThat(MySQLCapabilityFlag.CLIENT_SSL.isSet(greeting.capabilities())).isTrue();

        sendResponse("alice", ClientSide.nativeScramble("secret", greeting.authPluginData()), NATIVE);

        assertRefusedWith(2, new MySQLErrPacket(3159, "HY000",
                "Connections using insecure transport are prohibited while --require_secure_transport=ON."));
    }

    @Test
    void aResponseAskingForTlsOnAPlainChannelIsABadHandshake() throws Exception {
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD, 1 << 20, TransportSecurity.TLS_OFFERED);

        sendResponse(CLIENT_CAPABILITIES | MySQLCapabilityFlag.CLIENT_SSL.value(), "alice",
                ClientSide.nativeScramble("secret", greeting.authPluginData()), "shop", NATIVE);

        assertRefusedWith(2, new MySQLErrPacket(1043, "08S01", "Bad handshake"));
    }

    @Test
    void nativePasswordSucceedsAndStartsTheSession() throws Exception {
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD);

        sendResponse("alice", ClientSide.nativeScramble("secret", greeting.authPluginData()), NATIVE);

        assertThat(readPacketBytes(2)).isEqualTo(OK_AUTOCOMMIT);
        assertThat(started).containsExactly(new AuthenticatedClient("alice", "shop",
                CLIENT_CAPABILITIES & AuthenticationHandler.SERVER_CAPABILITIES, 255,
                MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD, Map.of("_client_name", "test"), "embedded"));
        assertThat(started.get(0).hasCapability(MySQLCapabilityFlag.CLIENT_DEPRECATE_EOF)).isTrue();
        assertThat(started.get(0).hasCapability(MySQLCapabilityFlag.CLIENT_SESSION_TRACK)).isFalse();
        assertAuthenticatedAndHandedOver();
    }

    @Test
    void wrongPasswordIsDeniedAndTheConnectionClosed() throws Exception {
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD);

        sendResponse("alice", ClientSide.nativeScramble("wrong", greeting.authPluginData()), NATIVE);

        assertRefusedWith(2, new MySQLErrPacket(1045, "28000", accessDenied("alice", "YES")));
    }

    @Test
    void unknownUserIsDenied() throws Exception {
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD);

        sendResponse("mallory", ClientSide.nativeScramble("secret", greeting.authPluginData()), NATIVE);

        assertRefusedWith(2, new MySQLErrPacket(1045, "28000", accessDenied("mallory", "YES")));
    }

    @Test
    void missingPasswordIsDeniedAsUsingNoPassword() {
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD);

        sendResponse("alice", new byte[0], NATIVE);

        assertRefusedWith(2, new MySQLErrPacket(1045, "28000", accessDenied("alice", "NO")));
    }

    @Test
    void userWithoutPasswordPassesWithAnEmptyResponse() {
        connect(MySQLAuthPlugin.CACHING_SHA2_PASSWORD);

        sendResponse("nopw", new byte[] {0}, SHA2);

        assertThat(readPacketBytes(2)).isEqualTo(OK_AUTOCOMMIT);
        assertThat(started).singleElement().extracting(AuthenticatedClient::user).isEqualTo("nopw");
    }

    @Test
    void clientWithoutPluginAuthIsCheckedWithNativePassword() throws Exception {
        connect(MySQLAuthPlugin.CACHING_SHA2_PASSWORD);
        int capabilities = CLIENT_CAPABILITIES & ~MySQLCapabilityFlag.CLIENT_PLUGIN_AUTH.value();

        sendResponse(capabilities, "alice", ClientSide.nativeScramble("secret", greeting.authPluginData()), null, null);

        assertThat(readPacketBytes(2)).isEqualTo(OK_AUTOCOMMIT);
        assertThat(started).singleElement().satisfies(client -> {
            assertThat(client.authPlugin()).isEqualTo(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD);
            assertThat(client.schema()).isNull();
        });
    }

    @Test
    void aSupportedPluginOtherThanTheDefaultIsVerifiedDirectly() throws Exception {
        connect(MySQLAuthPlugin.CACHING_SHA2_PASSWORD);

        sendResponse("alice", ClientSide.nativeScramble("secret", greeting.authPluginData()), NATIVE);

        assertThat(readPacketBytes(2)).isEqualTo(OK_AUTOCOMMIT);
    }

    @Test
    void anUnsupportedPluginIsSwitchedToTheDefaultWithANewScramble() throws Exception {
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD);

        sendResponse("alice", "secret".getBytes(US_ASCII), "mysql_clear_password");

        MySQLAuthSwitchRequestPacket request = MySQLAuthSwitchRequestPacket.read(readPacket(2));
        assertThat(request.authPluginName()).isEqualTo(NATIVE);
        assertThat(request.authPluginData()).hasSize(20).isNotEqualTo(greeting.authPluginData());
        send(3, ClientSide.nativeScramble("secret", request.authPluginData()));

        assertThat(readPacketBytes(4)).isEqualTo(OK_AUTOCOMMIT);
        assertAuthenticatedAndHandedOver();
    }

    @Test
    void theSwitchResponseMustAnswerTheNewScramble() throws Exception {
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD);
        sendResponse("alice", new byte[0], null);
        readPacket(2);

        send(3, ClientSide.nativeScramble("secret", greeting.authPluginData()));

        assertRefusedWith(4, new MySQLErrPacket(1045, "28000", accessDenied("alice", "YES")));
    }

    @Test
    void cachingSha2FullAuthenticationWithPublicKeyRequest() throws Exception {
        connect(MySQLAuthPlugin.CACHING_SHA2_PASSWORD);
        byte[] scramble = greeting.authPluginData();

        sendResponse("alice", ClientSide.sha2Scramble("secret", scramble), SHA2);
        assertThat(readPacketBytes(2)).isEqualTo(hex("01 04"));
        send(3, new byte[] {CachingSha2Password.REQUEST_PUBLIC_KEY});
        String pem = new String(MySQLAuthMoreDataPacket.read(readPacket(4)).authMethodData(), US_ASCII);
        assertThat(pem).isEqualTo(CachingSha2PasswordTest.KEYS.publicKeyPem());
        send(5, ClientSide.encryptPassword("secret", scramble, pem));

        assertThat(readPacketBytes(6)).isEqualTo(OK_AUTOCOMMIT);
        assertThat(authCache.contains("alice")).isTrue();
        assertThat(started).singleElement().extracting(AuthenticatedClient::authPlugin)
                .isEqualTo(MySQLAuthPlugin.CACHING_SHA2_PASSWORD);
        assertAuthenticatedAndHandedOver();
    }

    @Test
    void cachingSha2FullAuthenticationWithAKnownPublicKey() throws Exception {
        connect(MySQLAuthPlugin.CACHING_SHA2_PASSWORD);
        byte[] scramble = greeting.authPluginData();
        sendResponse("alice", ClientSide.sha2Scramble("secret", scramble), SHA2);
        readPacket(2);

        send(3, ClientSide.encryptPassword("secret", scramble, CachingSha2PasswordTest.KEYS.publicKeyPem()));

        assertThat(readPacketBytes(4)).isEqualTo(OK_AUTOCOMMIT);
    }

    @Test
    void cachingSha2FastAuthenticationForACachedUser() throws Exception {
        authCache.warm("alice");
        connect(MySQLAuthPlugin.CACHING_SHA2_PASSWORD);

        sendResponse("alice", ClientSide.sha2Scramble("secret", greeting.authPluginData()), SHA2);

        assertThat(readPacketBytes(2)).isEqualTo(hex("01 03"));
        assertThat(readPacketBytes(3)).isEqualTo(OK_AUTOCOMMIT);
        assertAuthenticatedAndHandedOver();
    }

    @Test
    void cachingSha2CachedUserWithAWrongScrambleFallsBackToFullAuthentication() throws Exception {
        authCache.warm("alice");
        connect(MySQLAuthPlugin.CACHING_SHA2_PASSWORD);

        sendResponse("alice", ClientSide.sha2Scramble("wrong", greeting.authPluginData()), SHA2);

        assertThat(readPacketBytes(2)).isEqualTo(hex("01 04"));
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void cachingSha2WrongEncryptedPasswordIsDenied() throws Exception {
        connect(MySQLAuthPlugin.CACHING_SHA2_PASSWORD);
        byte[] scramble = greeting.authPluginData();
        sendResponse("alice", ClientSide.sha2Scramble("wrong", scramble), SHA2);
        readPacket(2);
        send(3, new byte[] {CachingSha2Password.REQUEST_PUBLIC_KEY});
        readPacket(4);

        send(5, ClientSide.encryptPassword("wrong", scramble, CachingSha2PasswordTest.KEYS.publicKeyPem()));

        assertRefusedWith(6, new MySQLErrPacket(1045, "28000", accessDenied("alice", "YES")));
        assertThat(authCache.contains("alice")).isFalse();
    }

    @Test
    void cachingSha2UnknownUserGoesThroughFullAuthenticationBeforeBeingDenied() throws Exception {
        connect(MySQLAuthPlugin.CACHING_SHA2_PASSWORD);
        byte[] scramble = greeting.authPluginData();

        sendResponse("mallory", ClientSide.sha2Scramble("secret", scramble), SHA2);
        assertThat(readPacketBytes(2)).isEqualTo(hex("01 04"));
        send(3, ClientSide.encryptPassword("secret", scramble, CachingSha2PasswordTest.KEYS.publicKeyPem()));

        assertRefusedWith(4, new MySQLErrPacket(1045, "28000", accessDenied("mallory", "YES")));
    }

    @Test
    void cachingSha2RefusesAClearTextPassword() throws Exception {
        connect(MySQLAuthPlugin.CACHING_SHA2_PASSWORD);
        sendResponse("alice", ClientSide.sha2Scramble("secret", greeting.authPluginData()), SHA2);
        readPacket(2);

        send(3, "secret\0".getBytes(US_ASCII));

        assertRefusedWith(4, new MySQLErrPacket(1045, "28000", accessDenied("alice", "YES")));
    }

    @Test
    void switchToCachingSha2ThenFullAuthentication() throws Exception {
        connect(MySQLAuthPlugin.CACHING_SHA2_PASSWORD);
        sendResponse("alice", new byte[0], "authentication_ldap_sasl_client");

        MySQLAuthSwitchRequestPacket request = MySQLAuthSwitchRequestPacket.read(readPacket(2));
        assertThat(request.authPluginName()).isEqualTo(SHA2);
        send(3, ClientSide.sha2Scramble("secret", request.authPluginData()));
        assertThat(readPacketBytes(4)).isEqualTo(hex("01 04"));
        send(5, ClientSide.encryptPassword("secret", request.authPluginData(),
                CachingSha2PasswordTest.KEYS.publicKeyPem()));

        assertThat(readPacketBytes(6)).isEqualTo(OK_AUTOCOMMIT);
    }

    @Test
    void sslRequestIsABadHandshake() {
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD);
        byte[] sslRequest = new byte[32];
        int capabilities = CLIENT_CAPABILITIES | MySQLCapabilityFlag.CLIENT_SSL.value();
        Unpooled.wrappedBuffer(sslRequest).setIntLE(0, capabilities);

        send(1, sslRequest);

        assertRefusedWith(2, new MySQLErrPacket(1043, "08S01", "Bad handshake"));
    }

    @Test
    void fullResponseAskingForTlsIsABadHandshake() throws Exception {
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD);
        int capabilities = CLIENT_CAPABILITIES | MySQLCapabilityFlag.CLIENT_SSL.value();

        sendResponse(capabilities, "alice", ClientSide.nativeScramble("secret", greeting.authPluginData()), "shop",
                NATIVE);

        assertRefusedWith(2, new MySQLErrPacket(1043, "08S01", "Bad handshake"));
    }

    @Test
    void truncatedResponseIsABadHandshakeAndLaterInputIsDropped() {
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD);

        // Both packets arrive in one read, so the second reaches the handler after it has refused the first.
        ByteBuf frames = Unpooled.buffer();
        frame(frames, 1, hex("0f a6 3a"));
        frame(frames, 2, hex("0e"));
        channel.writeInbound(frames);

        assertRefusedWith(2, new MySQLErrPacket(1043, "08S01", "Bad handshake"));
        assertThat(nothingMoreSent()).isTrue();
    }

    @Test
    void pre41ClientIsABadHandshake() throws Exception {
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD);
        int capabilities = CLIENT_CAPABILITIES & ~MySQLCapabilityFlag.CLIENT_PROTOCOL_41.value();

        sendResponse(capabilities, "alice", ClientSide.nativeScramble("secret", greeting.authPluginData()), "shop",
                NATIVE);

        assertRefusedWith(2, new MySQLErrPacket(1043, "08S01", "Bad handshake"));
    }

    @Test
    void oversizePacketIsAnsweredWith1153() {
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD, 100);

        send(1, new byte[101]);

        assertRefusedWith(2, MySQLErrPacket.of(MySQLErrorCode.ER_NET_PACKET_TOO_LARGE));
    }

    @Test
    void sessionStarterCanRefuseTheSession() throws Exception {
        sessionStarter = (ctx, client) -> Optional.of(MySQLErrPacket.of(MySQLErrorCode.ER_BAD_DB_ERROR,
                client.schema()));
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD);

        sendResponse("alice", ClientSide.nativeScramble("secret", greeting.authPluginData()), NATIVE);

        assertRefusedWith(2, new MySQLErrPacket(1049, "42000", "Unknown database 'shop'"));
    }

    @Test
    void sessionStarterFailureIsAnsweredWith1105() throws Exception {
        sessionStarter = (ctx, client) -> {
            throw new IllegalStateException("no backend");
        };
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD);

        sendResponse("alice", ClientSide.nativeScramble("secret", greeting.authPluginData()), NATIVE);

        assertRefusedWith(2, new MySQLErrPacket(1105, "HY000", "no backend"));
    }

    @Test
    void closesAConnectionThatDoesNotAuthenticateInTime() {
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD);

        channel.advanceTimeBy(9, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(nothingMoreSent()).isTrue();
    }

    @Test
    void theTimeoutIsCancelledOnSuccess() throws Exception {
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD);
        sendResponse("alice", ClientSide.nativeScramble("secret", greeting.authPluginData()), NATIVE);
        readPacket(2);

        channel.advanceTimeBy(1, TimeUnit.MINUTES);
        channel.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void exceptionsAreAnsweredWithBadHandshake() {
        connect(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD);

        channel.pipeline().fireExceptionCaught(new IOException("connection reset"));

        assertRefusedWith(1, new MySQLErrPacket(1043, "08S01", "Bad handshake"));
    }
}
