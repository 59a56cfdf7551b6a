package io.shardwire.proxy.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import io.shardwire.config.ServerConfig.IoTransport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NettyTransportTest {

    @ParameterizedTest
    @EnumSource(IoTransport.class)
    void eachSettingGivesLoopsAndChannelsThatWorkTogether(IoTransport setting) throws Exception {
        Assumptions.assumeTrue(available(setting), setting + " is not available on this machine");
        NettyTransport transport = NettyTransport.of(setting);
        EventLoopGroup loops = transport.eventLoops(1);
        try {
            assertThat(NettyTransport.of(loops)).isEqualTo(transport);
            assertEchoes(loops, transport);
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @ParameterizedTest
    @EnumSource(IoTransport.class)
    void busyPollingLoopsServeSocketsAndOtherThreadsWrites(IoTransport setting) throws Exception {
        Assumptions.assumeTrue(available(setting), setting + " is not available on this machine");
        NettyTransport transport = NettyTransport.of(setting);
        EventLoopGroup loops = transport.eventLoops(1, 1000);
        try {
            assertThatThrownBy(() -> NettyTransport.of(loops)).isInstanceOf(IllegalArgumentException.class);
            for (int i = 0; i < 100; i++) {
                // The test thread's write is a task for a loop that may be spinning, not asleep.
                assertEchoes(loops, transport);
            }
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static boolean available(IoTransport setting) {
        return switch (setting) {
            case IO_URING -> IoUring.isAvailable();
            case EPOLL -> Epoll.isAvailable();
            case AUTO, NIO -> true;
        };
    }

    /** An echo server and a client on these loops: the client's "ping" comes back. */
    private static void assertEchoes(EventLoopGroup loops, NettyTransport transport) throws Exception {
        Channel server = new ServerBootstrap().group(loops).channel(transport.serverChannel())
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object message) {
                        ctx.writeAndFlush(message); // echo
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        CompletableFuture<String> echoed = new CompletableFuture<>();
        Channel client = new Bootstrap().group(loops).channel(transport.socketChannel())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf message) {
                                echoed.complete(message.toString(StandardCharsets.US_ASCII));
                            }
                        });
                    }
                })
                .connect(server.localAddress()).sync().channel();
        client.writeAndFlush(Unpooled.copiedBuffer("ping", StandardCharsets.US_ASCII));
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("ping");
        client.close().sync();
        server.close().sync();
    }
}
