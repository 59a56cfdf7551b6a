package io.shardwire.proxy.frontend;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.shardwire.config.ServerConfig;
import java.util.Locale;

/**
 * The Netty transport of the proxy's channels ({@code server.ioTransport}): on Linux, io_uring where the kernel
 * allows it (a loop round's reads and writes submitted and completed in one system call: measured 2-10% less proxy CPU
 * per point select than epoll, docs/benchmarks.md), else native epoll (fewer system calls and cheaper wake-ups of an
 * event loop than the JDK selector), else NIO.
 */
public enum NettyTransport {
    IO_URING,
    EPOLL,
    NIO;

    /**
     * The transport the setting asks for: for {@code auto} the first of io_uring, epoll and NIO that works here.
     *
     * @throws IllegalStateException when io_uring or epoll is asked for and cannot be used here, with the reason
     */
    public static NettyTransport of(ServerConfig.IoTransport setting) {
        return switch (setting) {
            case AUTO -> IoUring.isAvailable() ? IO_URING : Epoll.isAvailable() ? EPOLL : NIO;
            case IO_URING -> available(IO_URING, IoUring.isAvailable(), IoUring.unavailabilityCause());
            case EPOLL -> available(EPOLL, Epoll.isAvailable(), Epoll.unavailabilityCause());
            case NIO -> NIO;
        };
    }

    private static NettyTransport available(NettyTransport transport, boolean available, Throwable cause) {
        if (!available) {
            throw new IllegalStateException("server.ioTransport: " + transport.name().toLowerCase(Locale.ROOT)
                    + " cannot be used on this machine (" + cause + "); use auto or nio", cause);
        }
        return transport;
    }

    /** An event loop group of this transport with the given number of threads. */
    public EventLoopGroup eventLoops(int threads) {
        return eventLoops(threads, 0);
    }

    /**
     * An event loop group of this transport whose loops poll without sleeping for {@code busyPollMicros} when they run
     * out of work before they block ({@link BusyPollIoHandler}); 0 blocks at once.
     */
    public EventLoopGroup eventLoops(int threads, int busyPollMicros) {
        IoHandlerFactory handlers = switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads,
                busyPollMicros == 0 ? handlers : BusyPollIoHandler.wrap(handlers, busyPollMicros));
    }

    /**
     * The transport of an event loop group made by {@link #eventLoops} without busy polling.
     *
     * @throws IllegalArgumentException for a busy-polling group, whose handlers hide the transport's
     */
    public static NettyTransport of(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup io) {
            if (io.isIoType(BusyPollIoHandler.class)) {
                throw new IllegalArgumentException("a busy-polling event loop group does not tell its transport");
            }
            if (io.isIoType(IoUringIoHandler.class)) {
                return IO_URING;
            }
            if (io.isIoType(EpollIoHandler.class)) {
                return EPOLL;
            }
        }
        return NIO;
    }

    /** The server channel class that goes with {@link #eventLoops}. */
    public Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    /** The client socket channel class that goes with {@link #eventLoops}, for connections the proxy opens. */
    public Class<? extends SocketChannel> socketChannel() {
        return switch (this) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    /**
     * Event loops for client connections: one per core. They only decode and encode packets (statements run on
     * virtual threads), so more loops than cores add wake-ups and context switches, not throughput.
     */
    public static int workerThreads() {
        return Runtime.getRuntime().availableProcessors();
    }
}
