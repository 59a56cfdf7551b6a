package io.shardwire.proxy.protocol.auth;

import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_CONNECT_ATTRS;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_CONNECT_WITH_DB;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_DEPRECATE_EOF;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_FOUND_ROWS;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_INTERACTIVE;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_LONG_FLAG;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_LONG_PASSWORD;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_MULTI_RESULTS;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_MULTI_STATEMENTS;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_PLUGIN_AUTH;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_PROTOCOL_41;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_SECURE_CONNECTION;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_SSL;
import static io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag.CLIENT_TRANSACTIONS;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.shardwire.proxy.protocol.MySQLPacketCodec;
import io.shardwire.proxy.protocol.MySQLPacketTooLarge;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.MySQLProtocolException;
import io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag;
import io.shardwire.proxy.protocol.constant.MySQLCharacterSet;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.proxy.protocol.constant.MySQLStatusFlag;
import io.shardwire.proxy.protocol.packet.generic.MySQLErrPacket;
import io.shardwire.proxy.protocol.packet.generic.MySQLOKPacket;
import io.shardwire.proxy.protocol.packet.handshake.MySQLAuthMoreDataPacket;
import io.shardwire.proxy.protocol.packet.handshake.MySQLAuthSwitchRequestPacket;
import io.shardwire.proxy.protocol.packet.handshake.MySQLAuthSwitchResponsePacket;
import io.shardwire.proxy.protocol.packet.handshake.MySQLHandshakeResponse41Packet;
import io.shardwire.proxy.protocol.packet.handshake.MySQLHandshakeV10Packet;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html">connection
 * phase</a>, server side: greets the client, verifies its password with {@code mysql_native_password} or
 * {@code caching_sha2_password}, then hands the channel to the session layer and removes itself.
 *
 * <p>Sits right after {@link MySQLPacketCodec}, from which it receives payload {@link ByteBuf}s (released here) and
 * to which it writes packets. The exchange:
 * <ol>
 *   <li>On {@code channelActive}: HandshakeV10 with a fresh scramble, {@link #SERVER_CAPABILITIES} and the default
 *       plugin; the authentication timeout starts.</li>
 *   <li>HandshakeResponse41. If it names a supported plugin, the response is verified with it (both plugins use the
 *       greeting's scramble). A client without {@code CLIENT_PLUGIN_AUTH} cannot switch and is taken to mean
 *       {@code mysql_native_password}. Otherwise (another plugin, or none named) an AuthSwitchRequest to the default
 *       plugin with a new scramble is sent, and its response verified.</li>
 *   <li>{@code caching_sha2_password} follows MySQL: fast authentication (AuthMoreData 0x03, then OK) for users in
 *       the {@link AuthCache} whose scramble matches; else AuthMoreData 0x04, after which the client may request the
 *       public key (0x02, answered with the PEM) and sends its RSA-encrypted password, and a user who passes is
 *       added to the cache. Unknown users go through the same steps before they are refused, so the exchange does
 *       not reveal which users exist. Over TLS the client sends its password in clear text instead (NUL-terminated),
 *       as MySQL lets it on a secure transport.</li>
 *   <li>On success the {@link SessionStarter} runs; OK (autocommit) is sent and this handler removes itself, or the
 *       starter's ERR is sent and the connection closed.</li>
 * </ol>
 *
 * <p>Bad input policy: a wrong password or unknown user gets ERR 1045 "Access denied for user ..."; a malformed
 * handshake response, a response asking for TLS on a plain channel or a pre-4.1 client gets ERR 1043 "Bad
 * handshake"; a plain-text login when TLS is required gets ERR 3159; an oversized packet gets ERR 1153. In each case the connection is closed once the ERR is flushed and further input is
 * dropped. Nothing a client sends makes this handler throw; unexpected exceptions are logged at DEBUG and answered
 * the same way. A connection not authenticated within {@link AuthConfig#authTimeout()} is closed without a word,
 * like MySQL's {@code connect_timeout}.
 *
 * <p>TLS: when {@link AuthConfig#transport()} offers it, the greeting advertises {@code CLIENT_SSL}; the SSLRequest
 * itself is handled ahead of the codec (see {@code io.shardwire.proxy.tls.SslRequestHandler}), so this handler sees
 * the HandshakeResponse41 over TLS and knows the channel is secure by the {@link SslHandler} in its pipeline.
 *
 * <p>One instance per channel, used on its event loop only. Add it in a {@code ChannelInitializer}, before the
 * channel is active, since the greeting is sent from {@code channelActive}.
 */
public final class AuthenticationHandler extends ChannelInboundHandlerAdapter {

    /**
     * The capabilities Shardwire offers, besides {@code CLIENT_SSL} when TLS is on. Not offered: {@code CLIENT_COMPRESS},
     * {@code CLIENT_LOCAL_FILES}, {@code CLIENT_SESSION_TRACK}, and the others that change packet layouts this package
     * does not implement.
     */
    public static final int SERVER_CAPABILITIES = MySQLCapabilityFlag.of(CLIENT_LONG_PASSWORD, CLIENT_FOUND_ROWS,
            CLIENT_LONG_FLAG, CLIENT_CONNECT_WITH_DB, CLIENT_PROTOCOL_41, CLIENT_INTERACTIVE, CLIENT_TRANSACTIONS,
            CLIENT_SECURE_CONNECTION, CLIENT_MULTI_STATEMENTS, CLIENT_MULTI_RESULTS, CLIENT_PLUGIN_AUTH, CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA,
            CLIENT_CONNECT_ATTRS, CLIENT_DEPRECATE_EOF);

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationHandler.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int AUTOCOMMIT = MySQLStatusFlag.SERVER_STATUS_AUTOCOMMIT.value();

    private enum Phase {
        /** Greeting sent; waiting for HandshakeResponse41. */
        AWAIT_RESPONSE,
        /** AuthSwitchRequest sent; waiting for the default plugin's response to the new scramble. */
        AWAIT_SWITCH_RESPONSE,
        /** caching_sha2_password asked for full authentication; waiting for a key request or the encrypted password. */
        AWAIT_FULL_AUTH,
        /** Public key sent; waiting for the RSA-encrypted password. */
        AWAIT_PUBLIC_KEY_ENCRYPTED,
        /** Refused; the connection is closing and input is dropped. */
        FAILED
    }

    private final AuthConfig config;
    private final int connectionId;
    private Phase phase = Phase.AWAIT_RESPONSE;
    private byte[] scramble;
    private MySQLHandshakeResponse41Packet response;
    private MySQLAuthPlugin plugin;
    private ScheduledFuture<?> timeout;

    /** The COM_CHANGE_USER this handler authenticates, or null when it handles a new connection. */
    private final MySQLHandshakeResponse41Packet changeUser;

    /**
     * @param config settings shared by all connections of the server
     * @param connectionId this connection's id, sent in the greeting
     */
    public AuthenticationHandler(AuthConfig config, int connectionId) {
        this(config, connectionId, null);
    }

    private AuthenticationHandler(AuthConfig config, int connectionId, MySQLHandshakeResponse41Packet changeUser) {
        this.config = Objects.requireNonNull(config, "config");
        this.connectionId = connectionId;
        this.changeUser = changeUser;
    }

    /**
     * A handler for a COM_CHANGE_USER on a connection in the command phase: added to the pipeline in place of the
     * command handler, it asks the client to answer a fresh scramble (an AuthSwitchRequest for the plugin it named,
     * else the default one, so the answer does not depend on which scramble the client kept from the greeting),
     * then verifies as at connect and calls the {@link SessionStarter} for the new user. A refusal closes the
     * connection, as MySQL does after a failed change of user.
     *
     * @param request the change-user packet read as a handshake response
     */
    public static AuthenticationHandler forChangeUser(AuthConfig config, int connectionId,
                                                      MySQLHandshakeResponse41Packet request) {
        return new AuthenticationHandler(config, connectionId, Objects.requireNonNull(request, "request"));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (changeUser == null) {
            return;
        }
        response = changeUser;
        timeout = ctx.executor().schedule(() -> onTimeout(ctx), config.authTimeout().toNanos(), TimeUnit.NANOSECONDS);
        if (!CLIENT_PLUGIN_AUTH.isSet(changeUser.capabilities())) {
            // Without plugin authentication the client cannot answer a new scramble.
            fail(ctx, MySQLErrPacket.of(MySQLErrorCode.ER_NOT_SUPPORTED_AUTH_MODE));
            return;
        }
        plugin = changeUser.authPluginName().flatMap(MySQLAuthPlugin::ofPluginName).orElse(config.defaultAuthPlugin());
        scramble = newScramble();
        phase = Phase.AWAIT_SWITCH_RESPONSE;
        ctx.writeAndFlush(new MySQLAuthSwitchRequestPacket(plugin.pluginName(), scramble));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        scramble = newScramble();
        ctx.writeAndFlush(new MySQLHandshakeV10Packet(config.serverVersion(), connectionId, scramble,
                serverCapabilities(), MySQLCharacterSet.UTF8MB4_GENERAL_CI, AUTOCOMMIT,
                config.defaultAuthPlugin().pluginName()));
        timeout = ctx.executor().schedule(() -> onTimeout(ctx), config.authTimeout().toNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MySQLPacketTooLarge) {
            fail(ctx, MySQLErrPacket.of(MySQLErrorCode.ER_NET_PACKET_TOO_LARGE));
            return;
        }
        if (!(msg instanceof ByteBuf buffer)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            MySQLPayload payload = new MySQLPayload(buffer);
            switch (phase) {
                case AWAIT_RESPONSE -> onHandshakeResponse(ctx, MySQLHandshakeResponse41Packet.read(payload));
                case AWAIT_SWITCH_RESPONSE ->
                        verify(ctx, MySQLAuthSwitchResponsePacket.read(payload).authPluginResponse());
                case AWAIT_FULL_AUTH -> onFullAuthentication(ctx, payload.readBytesEOF());
                case AWAIT_PUBLIC_KEY_ENCRYPTED -> onEncryptedPassword(ctx, payload.readBytesEOF());
                case FAILED -> LOG.trace("dropping {} bytes from a refused connection", buffer.readableBytes());
            }
        } catch (MySQLProtocolException e) {
            LOG.debug("bad handshake from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
            fail(ctx, MySQLErrPacket.of(MySQLErrorCode.ER_HANDSHAKE_ERROR));
        } finally {
            buffer.release();
        }
    }

    private void onHandshakeResponse(ChannelHandlerContext ctx, MySQLHandshakeResponse41Packet handshakeResponse) {
        response = handshakeResponse;
        int clientCapabilities = handshakeResponse.capabilities();
        boolean secure = isSecure(ctx);
        if (CLIENT_SSL.isSet(clientCapabilities) && !secure) {
            throw new MySQLProtocolException("client asks for TLS on a plain channel");
        }
        if (config.transport() == TransportSecurity.TLS_REQUIRED && !secure) {
            LOG.debug("refusing {}: TLS is required", ctx.channel().remoteAddress());
            fail(ctx, MySQLErrPacket.of(MySQLErrorCode.ER_SECURE_TRANSPORT_REQUIRED));
            return;
        }
        if (!CLIENT_PROTOCOL_41.isSet(clientCapabilities)) {
            throw new MySQLProtocolException("client lacks CLIENT_PROTOCOL_41");
        }
        Optional<MySQLAuthPlugin> named = CLIENT_PLUGIN_AUTH.isSet(clientCapabilities)
                ? handshakeResponse.authPluginName().flatMap(MySQLAuthPlugin::ofPluginName)
                : Optional.of(MySQLAuthPlugin.MYSQL_NATIVE_PASSWORD);
        if (named.isPresent()) {
            plugin = named.get();
            verify(ctx, handshakeResponse.authResponse());
            return;
        }
        plugin = config.defaultAuthPlugin();
        scramble = newScramble();
        phase = Phase.AWAIT_SWITCH_RESPONSE;
        ctx.writeAndFlush(new MySQLAuthSwitchRequestPacket(plugin.pluginName(), scramble));
    }

    /** Checks the response to the current scramble with the chosen plugin. */
    private void verify(ChannelHandlerContext ctx, byte[] authResponse) {
        Optional<String> password = config.credentialStore().password(response.username());
        boolean usingPassword = !MySQLAuthPlugin.isEmptyResponse(authResponse);
        switch (plugin) {
            case MYSQL_NATIVE_PASSWORD -> {
                if (password.isPresent() && MySQLNativePassword.verify(password.get(), scramble, authResponse)) {
                    succeed(ctx);
                } else {
                    deny(ctx, usingPassword);
                }
            }
            case CACHING_SHA2_PASSWORD -> verifyCachingSha2(ctx, password, authResponse, usingPassword);
        }
    }

    private void verifyCachingSha2(ChannelHandlerContext ctx, Optional<String> password, byte[] authResponse,
            boolean usingPassword) {
        // An empty password (or an empty response) is decided at once, with no cache and no full authentication.
        if (!usingPassword || password.filter(String::isEmpty).isPresent()) {
            if (password.isPresent() && CachingSha2Password.verifyScramble(password.get(), scramble, authResponse)) {
                succeed(ctx);
            } else {
                deny(ctx, usingPassword);
            }
            return;
        }
        if (password.isPresent() && config.authCache().contains(response.username())
                && CachingSha2Password.verifyScramble(password.get(), scramble, authResponse)) {
            ctx.write(authMoreData(CachingSha2Password.FAST_AUTH_SUCCESS));
            succeed(ctx);
            return;
        }
        phase = Phase.AWAIT_FULL_AUTH;
        ctx.writeAndFlush(authMoreData(CachingSha2Password.PERFORM_FULL_AUTHENTICATION));
    }

    private void onFullAuthentication(ChannelHandlerContext ctx, byte[] data) {
        if (isSecure(ctx)) {
            onClearTextPassword(ctx, data);
            return;
        }
        if (data.length == 1 && data[0] == CachingSha2Password.REQUEST_PUBLIC_KEY) {
            phase = Phase.AWAIT_PUBLIC_KEY_ENCRYPTED;
            ctx.writeAndFlush(new MySQLAuthMoreDataPacket(config.cachingSha2Keys().publicKeyPemBytes()));
            return;
        }
        // A client that already has the public key sends the encrypted password straight away.
        onEncryptedPassword(ctx, data);
    }

    private void onEncryptedPassword(ChannelHandlerContext ctx, byte[] encrypted) {
        String user = response.username();
        Optional<String> password = config.credentialStore().password(user);
        if (password.isPresent() && CachingSha2Password.verifyEncryptedPassword(password.get(), scramble, encrypted,
                config.cachingSha2Keys())) {
            config.authCache().warm(user);
            succeed(ctx);
        } else {
            deny(ctx, true);
        }
    }

    /** Full authentication over TLS: the password itself, NUL-terminated. */
    private void onClearTextPassword(ChannelHandlerContext ctx, byte[] data) {
        int length = data.length > 0 && data[data.length - 1] == 0 ? data.length - 1 : data.length;
        byte[] given = Arrays.copyOf(data, length);
        String user = response.username();
        Optional<String> password = config.credentialStore().password(user);
        if (password.isPresent()
                && MessageDigest.isEqual(password.get().getBytes(StandardCharsets.UTF_8), given)) {
            config.authCache().warm(user);
            succeed(ctx);
        } else {
            deny(ctx, true);
        }
    }

    private void succeed(ChannelHandlerContext ctx) {
        cancelTimeout();
        AuthenticatedClient client = new AuthenticatedClient(response.username(), response.database().orElse(null),
                response.capabilities() & serverCapabilities(), response.characterSet(), plugin,
                response.connectAttributes(), remoteHost(ctx));
        Optional<MySQLErrPacket> refusal;
        try {
            refusal = config.sessionStarter().start(ctx, client);
        } catch (RuntimeException e) {
            LOG.warn("starting the session of {}@{} failed", client.user(), client.remoteHost(), e);
            refusal = Optional.of(MySQLErrPacket.of(MySQLErrorCode.ER_UNKNOWN_ERROR, String.valueOf(e.getMessage())));
        }
        if (refusal.isPresent()) {
            fail(ctx, refusal.get());
            return;
        }
        LOG.debug("authenticated {}@{} with {}", client.user(), client.remoteHost(), plugin.pluginName());
        ctx.writeAndFlush(MySQLOKPacket.of(AUTOCOMMIT));
        ctx.pipeline().remove(this);
    }

    private void deny(ChannelHandlerContext ctx, boolean usingPassword) {
        String host = remoteHost(ctx);
        LOG.debug("access denied for {}@{} ({})", response.username(), host, plugin.pluginName());
        fail(ctx, MySQLErrPacket.of(MySQLErrorCode.ER_ACCESS_DENIED_ERROR, response.username(), host,
                usingPassword ? "YES" : "NO"));
    }

    private void fail(ChannelHandlerContext ctx, MySQLErrPacket error) {
        cancelTimeout();
        if (phase == Phase.FAILED) {
            return;
        }
        phase = Phase.FAILED;
        ctx.writeAndFlush(error).addListener(ChannelFutureListener.CLOSE);
    }

    private void onTimeout(ChannelHandlerContext ctx) {
        LOG.debug("closing {}: not authenticated within {}", ctx.channel().remoteAddress(), config.authTimeout());
        phase = Phase.FAILED;
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("error while authenticating {}", ctx.channel().remoteAddress(), cause);
        fail(ctx, MySQLErrPacket.of(MySQLErrorCode.ER_HANDSHAKE_ERROR));
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private int serverCapabilities() {
        return config.transport().offersTls() ? SERVER_CAPABILITIES | CLIENT_SSL.value() : SERVER_CAPABILITIES;
    }

    private static boolean isSecure(ChannelHandlerContext ctx) {
        return ctx.pipeline().get(SslHandler.class) != null;
    }

    private static MySQLAuthMoreDataPacket authMoreData(byte status) {
        return new MySQLAuthMoreDataPacket(new byte[] {status});
    }

    private static String remoteHost(ChannelHandlerContext ctx) {
        SocketAddress address = ctx.channel().remoteAddress();
        return address instanceof InetSocketAddress inet ? inet.getHostString() : String.valueOf(address);
    }

    /** 20 random bytes in 1..127: no NUL, since clients read the scramble as a NUL-terminated string. */
    private static byte[] newScramble() {
        byte[] bytes = new byte[MySQLHandshakeV10Packet.SCRAMBLE_LENGTH];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (RANDOM.nextInt(127) + 1);
        }
        return bytes;
    }
}
