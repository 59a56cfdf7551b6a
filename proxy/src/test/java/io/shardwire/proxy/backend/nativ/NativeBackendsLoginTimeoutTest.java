package io.shardwire.proxy.backend.nativ;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server that accepts connections but never answers (a stopped process's socket still completes the TCP handshake)
 * must not hold a native read: the login fails once its time is up.
 */
class NativeBackendsLoginTimeoutTest {

    @Test
    void aLoginTheServerNeverAnswersFailsWhenItsTimeIsUp() throws Exception {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            NativeTarget target = new NativeTarget("g0", 0, "127.0.0.1", silent.getLocalPort(), "shardwire", "pw",
                    "shop_0", true, List.of());
            Future<NativeConnection> login = new NativeBackends(NioSocketChannel.class)
                    .acquire(loops.next(), target, 300);

            assertThat(login.await(10_000)).as("the login ended").isTrue();
            assertThat(login.cause()).isInstanceOf(ConnectTimeoutException.class)
                    .hasMessageContaining("127.0.0.1:" + silent.getLocalPort());
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
