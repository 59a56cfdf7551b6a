package io.shardwire.proxy.backend.nativ;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLPacketBatch;
import io.shardwire.proxy.protocol.MySQLPacketCodec;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.MySQLSequenceReset;
import io.shardwire.proxy.protocol.packet.generic.MySQLErrPacket;
import io.shardwire.proxy.protocol.packet.handshake.MySQLAuthSwitchRequestPacket;
import io.shardwire.proxy.protocol.packet.handshake.MySQLAuthSwitchResponsePacket;
import io.shardwire.proxy.protocol.packet.handshake.MySQLHandshakeV10Packet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One authenticated MySQL protocol connection to a data source, driven from one event loop (the one of the client
 * connections that use it): no thread of its own, no blocking. It runs one command at a time; the packets of the
 * response go to the {@link Response} that sent it. Backend statements are prepared once per connection and kept by
 * their text.
 *
 * <p>Used from its event loop only.
 */
public final class NativeConnection extends ChannelInboundHandlerAdapter {

    /** The largest packet a backend may send on this connection (the server's own limit applies first). */
    private static final int MAX_PACKET = 1 << 30;
    /** The error code of a prepare whose connection was lost (the client library's CR_SERVER_LOST). */
    public static final int LOST = 2013;
    /** Backend statements kept per connection; past this the connection is not given back to its pool. */
    static final int MAX_STATEMENTS = 256;
    /** A command's first packet: numbered 0. */
    private static final MySQLSequenceReset COMMAND_START = new MySQLSequenceReset(0);

    /** The consumer of one response. */
    public interface Response {
        /**
         * One packet of the response, whose buffer it now owns.
         *
         * @return true when this packet ended the response
         */
        boolean packet(ByteBuf payload);

        /** The connection was lost before the response ended. */
        void lost(String reason);

        /** Runs after the packet that ended the response, once the connection may take the next command. */
        default void completed() {
        }

        /** The packets of one read from the socket have been handed over: a moment to flush what they produced. */
        default void readComplete() {
        }
    }

    /** A statement prepared on this connection. */
    public record Statement(long id, int parameterCount, int columnCount) {
    }

    private final NativeTarget target;
    private final Channel channel;
    private final Map<String, Statement> statements = new HashMap<>();
    private Response response;
    private long threadId;
    private boolean broken;

    private NativeConnection(NativeTarget target, Channel channel) {
        this.target = target;
        this.channel = channel;
    }

    /**
     * Connects and logs in on the given event loop; the promise fails with {@link UnsupportedAuthException} when the
     * server wants a plugin other than {@code mysql_native_password}, and with a {@link ConnectTimeoutException} when
     * the login is not done within {@code timeoutMs}: a server that accepts connections but does not answer (a
     * stopped process's socket still accepts) must not hold the read.
     */
    static void open(EventLoop loop, Class<? extends SocketChannel> channelType, NativeTarget target, int timeoutMs,
                     Promise<NativeConnection> ready) {
        Bootstrap bootstrap = new Bootstrap().group(loop)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMs)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        NativeConnection connection = new NativeConnection(target, channel);
                        connection.response = connection.new Login(ready);
                        channel.pipeline().addLast("codec", new MySQLPacketCodec(MAX_PACKET));
                        channel.pipeline().addLast("native", connection);
                    }
                });
        ChannelFuture connect = bootstrap.connect(target.host(), target.port());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                ready.tryFailure(f.cause());
            }
        });
        ScheduledFuture<?> deadline = loop.schedule(() -> {
            if (ready.tryFailure(new ConnectTimeoutException("no login to " + target.address() + " within " + timeoutMs
                    + " ms"))) {
                connect.channel().close();
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        ready.addListener(f -> deadline.cancel(false));
    }

    /** Where it goes. */
    public NativeTarget target() {
        return target;
    }

    /** The backend's connection id, for KILL QUERY. */
    public long threadId() {
        return threadId;
    }

    /** The channel, to pause its reads while the client is slow. */
    public Channel channel() {
        return channel;
    }

    /** Whether it may run another command (it is open, and no response was abandoned on it). */
    public boolean usable() {
        return channel.isActive() && !broken && response == null;
    }

    /** The backend statement for this text, if prepared on this connection. */
    public Statement statement(String sql) {
        return statements.get(sql);
    }

    /** Whether more statements may be kept. */
    boolean roomForStatements() {
        return statements.size() < MAX_STATEMENTS;
    }

    /** Prepares {@code sql}; {@code done} gets the statement, or null with the backend's error. */
    public void prepare(String sql, PrepareDone done) {
        send(NativeCommands.prepare(channel.alloc(), sql), new Prepare(sql, done));
    }

    /** Executes a statement prepared here; its response goes to {@code result}. */
    public void execute(Statement statement, List<?> parameters, Response result) {
        send(NativeCommands.execute(statement.id(), parameters), result);
    }

    /** Runs a text-protocol statement; its response goes to {@code result}. */
    public void query(String sql, Response result) {
        send(NativeCommands.query(channel.alloc(), sql), result);
    }

    /** Closes the connection (a response it was giving is abandoned). */
    public void close() {
        broken = true;
        channel.close();
    }

    /** Sends a command (a {@link ByteBuf} payload, which it releases, or a {@link MySQLPacket}) as one write. */
    private void send(Object command, Response next) {
        if (response != null) {
            ReferenceCountUtil.release(command);
            throw new IllegalStateException("a command is still running on " + target.address());
        }
        response = next;
        MySQLPacketBatch batch = new MySQLPacketBatch();
        batch.add(COMMAND_START);
        batch.add(command);
        channel.writeAndFlush(batch, channel.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf payload)) {
            ReferenceCountUtil.release(msg);
            close();
            return;
        }
        Response current = response;
        if (current == null) {
            // Nothing was asked: the server speaks out of turn (an error before closing, say).
            payload.release();
            close();
            return;
        }
        if (current.packet(payload) && response == current) {
            response = null;
            current.completed();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Response current = response;
        if (current != null) {
            current.readComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        broken = true;
        Response current = response;
        response = null;
        if (current != null) {
            current.lost("the connection to " + target.address() + " closed");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        broken = true;
        Response current = response;
        response = null;
        if (current != null) {
            current.lost(cause.toString());
        }
        ctx.close();
    }

    /** The end of a prepare. */
    @FunctionalInterface
    public interface PrepareDone {
        /** @param statement the prepared statement, or null when {@code error} says why not */
        void prepared(Statement statement, MySQLErrPacket error);
    }

    /** COM_STMT_PREPARE's response: OK with the counts, then parameter and column definitions, each list ended by EOF unless deprecated. */
    private final class Prepare implements Response {
        private final String sql;
        private final PrepareDone done;
        private Statement statement;
        private MySQLErrPacket error;
        private int remaining;

        Prepare(String sql, PrepareDone done) {
            this.sql = sql;
            this.done = done;
        }

        @Override
        public boolean packet(ByteBuf payload) {
            try {
                if (statement == null) {
                    MySQLPayload reader = new MySQLPayload(payload);
                    if (reader.peekInt1() == MySQLErrPacket.HEADER) {
                        error = MySQLErrPacket.read(reader);
                        return true;
                    }
                    reader.readInt1();
                    long id = Integer.toUnsignedLong(reader.readInt4());
                    int columns = reader.readInt2();
                    int parameters = reader.readInt2();
                    statement = new Statement(id, parameters, columns);
                    int eofs = target.deprecateEof() ? 0 : (columns > 0 ? 1 : 0) + (parameters > 0 ? 1 : 0);
                    remaining = columns + parameters + eofs;
                } else {
                    remaining--;
                }
                return remaining == 0;
            } finally {
                payload.release();
            }
        }

        @Override
        public void completed() {
            if (error != null) {
                done.prepared(null, error);
            } else {
                statements.put(sql, statement);
                done.prepared(statement, null);
            }
        }

        @Override
        public void lost(String reason) {
            done.prepared(null, new MySQLErrPacket(LOST, "HY000", "Lost connection to " + target.address() + ": "
                    + reason));
        }
    }

    /**
     * The login: greeting, our answer, maybe an auth switch, then OK; then the result charset of the JDBC pool's
     * connections, and the target's session SETs one by one.
     */
    private final class Login implements Response {
        private final Promise<NativeConnection> ready;
        private boolean greeted;
        private boolean loggedIn;
        /** The session SETs sent so far. */
        private int setsSent;

        Login(Promise<NativeConnection> ready) {
            this.ready = ready;
        }

        @Override
        public boolean packet(ByteBuf payload) {
            try {
                MySQLPayload reader = new MySQLPayload(payload);
                if (!greeted) {
                    greeted = true;
                    MySQLHandshakeV10Packet greeting = MySQLHandshakeV10Packet.read(reader);
                    threadId = Integer.toUnsignedLong(greeting.connectionId());
                    channel.writeAndFlush(NativeAuth.response(target, greeting.authPluginData()), channel.voidPromise());
                    return false;
                }
                int header = reader.peekInt1();
                if (header == MySQLErrPacket.HEADER) {
                    MySQLErrPacket error = MySQLErrPacket.read(reader);
                    fail(setsSent == 0
                            ? new IllegalStateException(target.address() + " refused the login: " + error.message())
                            : new SessionSetRefusedException(target.address() + " refused the session's "
                                    + target.sessionSets().get(setsSent - 1) + ": " + error.message()));
                    return true;
                }
                if (!loggedIn && header == MySQLAuthSwitchRequestPacket.HEADER) {
                    MySQLAuthSwitchRequestPacket change = MySQLAuthSwitchRequestPacket.read(reader);
                    if (!NativeAuth.NATIVE_PASSWORD.equals(change.authPluginName())) {
                        fail(new UnsupportedAuthException(target.address() + " asks for authentication plugin "
                                + change.authPluginName() + ", the native backend path speaks only "
                                + NativeAuth.NATIVE_PASSWORD));
                        return true;
                    }
                    channel.writeAndFlush(new MySQLAuthSwitchResponsePacket(
                            NativeAuth.scramble(target.password(), change.authPluginData())), channel.voidPromise());
                    return false;
                }
                if (!loggedIn) {
                    loggedIn = true;
                    // As Connector/J does by default: results in each column's own charset, unconverted.
                    runAtLogin("SET character_set_results = NULL");
                    return false;
                }
                if (setsSent < target.sessionSets().size()) {
                    runAtLogin(target.sessionSets().get(setsSent++));
                    return false;
                }
                response = null;
                ready.trySuccess(NativeConnection.this);
                return true;
            } catch (RuntimeException e) {
                fail(e);
                return true;
            } finally {
                payload.release();
            }
        }

        private void runAtLogin(String sql) {
            channel.write(new MySQLSequenceReset(0), channel.voidPromise());
            channel.writeAndFlush(NativeCommands.query(channel.alloc(), sql), channel.voidPromise());
        }

        private void fail(Throwable cause) {
            ready.tryFailure(cause);
            close();
        }

        @Override
        public void lost(String reason) {
            ready.tryFailure(new IllegalStateException("lost " + target.address() + " while logging in: " + reason));
        }
    }
}
