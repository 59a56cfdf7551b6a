package io.shardwire.proxy.frontend;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.shardwire.config.ServerConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.config.UserConfig;
import io.shardwire.proxy.backend.BackendPools;
import io.shardwire.proxy.backend.nativ.NativeBackends;
import io.shardwire.proxy.xa.CrossGroupCommits;
import io.shardwire.proxy.protocol.MySQLPacketCodec;
import io.shardwire.proxy.protocol.auth.AuthCache;
import io.shardwire.proxy.protocol.auth.AuthConfig;
import io.shardwire.proxy.protocol.auth.AuthenticatedClient;
import io.shardwire.proxy.protocol.auth.AuthenticationHandler;
import io.shardwire.proxy.protocol.auth.CachingSha2Keys;
import io.shardwire.proxy.protocol.auth.MySQLAuthPlugin;
import io.shardwire.proxy.protocol.auth.TransportSecurity;
import io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag;
import io.shardwire.proxy.protocol.constant.MySQLCharacterSet;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.proxy.protocol.constant.ServerVersion;
import io.shardwire.proxy.protocol.packet.command.MySQLComChangeUserPacket;
import io.shardwire.proxy.protocol.packet.generic.MySQLErrPacket;
import io.shardwire.proxy.session.ResultsCharset;
import io.shardwire.proxy.session.Session;
import io.shardwire.proxy.session.SessionError;
import io.shardwire.proxy.session.SessionRegistry;
import io.shardwire.proxy.admin.AdminHook;
import io.shardwire.proxy.live.ActiveConfig;
import io.shardwire.proxy.live.LiveConfig;
import io.shardwire.proxy.metrics.StatementRecorder;
import io.shardwire.proxy.tls.ServerTls;
import io.shardwire.proxy.tls.SslRequestHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The MySQL protocol listener. Each connection gets the pipeline
 * {@code [SslRequestHandler ->] MySQLPacketCodec -> writability gate -> AuthenticationHandler}, and after a
 * successful login {@code CommandHandler} with its {@link Session}. With TLS on, the SslRequestHandler turns into
 * an SslHandler if the client's first packet is an SSLRequest. Connections over {@code maxConnections} get ERR 1040
 * instead of the greeting; logins over {@code maxUserConnections} get ERR 1203.
 */
public final class FrontendServer implements AutoCloseable {

    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(10);

    /** MySQL's default max_prepared_stmt_count is per server; a tenth of it per session keeps one client from taking all. */
    private static final int MAX_PREPARED_STATEMENTS = 1_638;

    private final ChannelGroup clients = new DefaultChannelGroup("shardwire-clients", GlobalEventExecutor.INSTANCE);
    private final SessionRegistry sessions;
    private final ServerStatistics statistics;
    private Channel serverChannel;

    private FrontendServer(SessionRegistry sessions) {
        this.sessions = sessions;
        this.statistics = new ServerStatistics(sessions::size);
    }

    /**
     * Binds the configured host and port and starts accepting clients.
     *
     * @param live      the configuration: its listener settings are read once here; each new session takes the
     *                  configuration current when it logs in (users, schemas, rules) and keeps it
     * @param sessions  where the live sessions are registered, for KILL and the admin statements
     * @param observers the metrics, slow-query log and admin statements every session reports to
     * @param nativeBackends the native backend connections for prepared single-node reads, or null when that path is off
     */
    public static FrontendServer bind(LiveConfig live, BackendPools pools, CrossGroupCommits commits, Executor workers,
                                      EventLoopGroup bossGroup, EventLoopGroup workerGroup, SessionRegistry sessions,
                                      SessionObservers observers, NativeBackends nativeBackends)
            throws InterruptedException {
        ServerConfig server = live.config().server();
        AuthCache authCache = new AuthCache();
        if (server.warmAuthCache()) {
            // We hold every password, so the caching_sha2 fast path can serve each user from the start.
            server.users().forEach(u -> authCache.warm(u.name()));
            live.onReplace(reloaded -> reloaded.server().users().forEach(u -> authCache.warm(u.name())));
        }
        AtomicInteger connectionIds = new AtomicInteger();
        ConnectionLimits limits = new ConnectionLimits(server.maxConnections(), server.maxUserConnections());
        observers.metrics().bindOpenConnections(limits::open);
        ServerTls tls = server.tls().enabled() ? ServerTls.of(server.tls()) : null;
        TransportSecurity transport = tls == null ? TransportSecurity.PLAIN
                : server.tls().requireSecureTransport() ? TransportSecurity.TLS_REQUIRED : TransportSecurity.TLS_OFFERED;
        CachingSha2Keys keys = CachingSha2Keys.generate();
        MySQLAuthPlugin defaultPlugin = MySQLAuthPlugin.ofPluginName(server.authPlugin().wireName()).orElseThrow();

        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NettyTransport.of(bossGroup).serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024));
        FrontendServer frontend = new FrontendServer(sessions);
        bootstrap.childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                frontend.clients.add(channel);
                MySQLPacketCodec codec = new MySQLPacketCodec(server.maxAllowedPacket());
                if (!limits.tryOpen()) {
                    observers.metrics().connectionRefused();
                    channel.pipeline().addLast(codec);
                    channel.writeAndFlush(MySQLErrPacket.of(MySQLErrorCode.ER_CON_COUNT_ERROR))
                            .addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                observers.metrics().connectionAccepted();
                channel.closeFuture().addListener(f -> limits.closed());
                int connectionId = connectionIds.incrementAndGet();
                PacketChannel out = new PacketChannel(channel);
                SerialExecutor sessionExecutor = new SerialExecutor(workers);
                AuthConfig[] auth = new AuthConfig[1];
                auth[0] = new AuthConfig(ServerVersion.VERSION, defaultPlugin,
                        user -> live.config().user(user).map(UserConfig::password), keys, authCache,
                        (ctx, client) -> startSession(ctx, client, connectionId, live.current(), pools, commits, out,
                                sessionExecutor, frontend.statistics, frontend.sessions, observers, limits, nativeBackends,
                                request -> AuthenticationHandler.forChangeUser(auth[0], connectionId,
                                        request.asHandshakeResponse(client.capabilities(), client.characterSet()))),
                        AUTH_TIMEOUT, transport);
                if (tls != null) {
                    channel.pipeline().addLast("sslRequest", new SslRequestHandler(tls));
                }
                channel.pipeline().addLast("codec", codec);
                channel.pipeline().addLast("writability", out.writabilityHandler());
                channel.pipeline().addLast("auth", new AuthenticationHandler(auth[0], connectionId));
            }
        });
        frontend.serverChannel = bootstrap.bind(server.host(), server.port()).sync().channel();
        return frontend;
    }

    private static Optional<MySQLErrPacket> startSession(ChannelHandlerContext ctx, AuthenticatedClient client,
                                                         int connectionId, ActiveConfig active, BackendPools pools,
                                                         CrossGroupCommits commits, PacketChannel out, SerialExecutor executor,
                                                         ServerStatistics statistics, SessionRegistry sessions,
                                                         SessionObservers observers, ConnectionLimits limits,
                                                         NativeBackends nativeBackends,
                                                         Function<MySQLComChangeUserPacket, ChannelHandler> changeUser) {
        ShardwireConfig config = active.config();
        Optional<UserConfig> found = config.user(client.user());
        if (found.isEmpty()) {
            // Removed by a configuration reload between the password check and now.
            return Optional.of(MySQLErrPacket.of(MySQLErrorCode.ER_ACCESS_DENIED_ERROR, client.user(),
                    client.remoteHost(), "YES"));
        }
        UserConfig user = found.get();
        if (!limits.tryLogin(user.name())) {
            return Optional.of(MySQLErrPacket.of(MySQLErrorCode.ER_TOO_MANY_USER_CONNECTIONS, user.name()));
        }
        AtomicBoolean ended = new AtomicBoolean();
        CommandHandler.Login login = new CommandHandler.Login() {
            @Override
            public void end() {
                if (ended.compareAndSet(false, true)) {
                    limits.loggedOut(user.name());
                    sessions.unregister(connectionId);
                }
            }

            @Override
            public ChannelHandler changeUser(MySQLComChangeUserPacket request) {
                return changeUser.apply(request);
            }
        };
        ctx.channel().closeFuture().addListener(f -> login.end());
        String schema = client.schema() == null || client.schema().isEmpty() ? null : client.schema();
        Session session = new Session(connectionId, user, client.remoteHost(), schema,
                client.hasCapability(MySQLCapabilityFlag.CLIENT_FOUND_ROWS),
                ResultsCharset.ofHandshake(client.characterSet()), config, active.planner(), pools,
                new Session.Limits(MAX_PREPARED_STATEMENTS, config.server().maxAllowedPacket()), sessions, commits);
        if (schema != null) {
            SessionError error = session.checkSchema(schema);
            if (error != null) {
                return Optional.of(new MySQLErrPacket(error.code(), error.sqlState(), error.message()));
            }
        }
        Channel channel = ctx.channel();
        Instant connectedAt = Instant.now();
        sessions.register(connectionId, new SessionRegistry.Control() {
            @Override
            public String user() {
                return user.name();
            }

            @Override
            public String clientHost() {
                return client.remoteHost();
            }

            @Override
            public String schema() {
                return session.schema();
            }

            @Override
            public Instant connectedAt() {
                return connectedAt;
            }

            @Override
            public void cancelQuery() {
                session.cancelRunning();
            }

            @Override
            public void closeConnection() {
                channel.close();
                session.cancelRunning();
            }

            @Override
            public Map<String, Long> backendThreads() {
                return session.backendThreads();
            }

            @Override
            public void chosenAsDeadlockVictim(String message) {
                session.chosenAsDeadlockVictim(message);
            }
        });
        StatementRecorder recorder = new StatementRecorder(observers.metrics(), observers.slowQueries(), connectionId,
                user.name(), session::schema);
        // Result metadata shows logical schema and table names, not the data nodes' physical ones.
        ctx.pipeline().addAfter(ctx.name(), "command", new CommandHandler(session, executor, out,
                client.capabilities(), MySQLCharacterSet.javaCharset(client.characterSet()), statistics, active.names(),
                recorder, new AdminHook(observers.admin(), user), observers.ddlHold(), config.server().idleTimeout(),
                login, (names, statementRecorder, deprecateEof) -> nativeBackends == null ? null
                        : new NativeReads(channel, nativeBackends, pools, session, names, statementRecorder,
                                deprecateEof)));
        return Optional.empty();
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops accepting and closes every client connection. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        clients.close().syncUninterruptibly();
    }
}
