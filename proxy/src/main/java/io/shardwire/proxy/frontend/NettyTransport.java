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

/**
 * The Netty transport the proxy's listeners use: native epoll on Linux when its library loads (fewer
 * system calls and cheaper wake-ups of an event loop than the JDK selector), else NIO.
 */
public enum NettyTransport {
    EPOLL,
    NIO;

    /** Epoll where it is available, else NIO. */
    public static NettyTransport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** An event loop group of this transport with the given number of threads. */
    public EventLoopGroup eventLoops(int threads) {
        IoHandlerFactory handlers = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, handlers);
    }

    /** The transport of an event loop group made by {@link #eventLoops}. */
    public static NettyTransport of(EventLoopGroup group) {
        return group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class) ? EPOLL : NIO;
    }

    /** The server channel class that goes with {@link #eventLoops}. */
    public Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The client socket channel class that goes with {@link #eventLoops}, for connections the proxy opens. */
    public Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * Event loops for client connections: one per core. They only decode and encode packets (statements run on
     * virtual threads), so more loops than cores add wake-ups and context switches, not throughput.
     */
    public static int workerThreads() {
        return Runtime.getRuntime().availableProcessors();
    }
}
