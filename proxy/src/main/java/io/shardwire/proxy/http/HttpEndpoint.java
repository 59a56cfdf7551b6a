package io.shardwire.proxy.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The proxy's HTTP port: {@code GET /health} answers 200 once the proxy is ready and 503 before.
 * Handlers answer from memory only; nothing here blocks the event loop.
 */
public final class HttpEndpoint implements AutoCloseable {

    /** Largest request body accepted; the endpoints take no bodies yet. */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final Channel serverChannel;

    private HttpEndpoint(Channel serverChannel) {
        this.serverChannel = serverChannel;
    }

    /**
     * Binds the endpoint.
     *
     * @param ready whether the proxy is ready to serve (read on every health request)
     */
    public static HttpEndpoint bind(String host, int port, EventLoopGroup group, BooleanSupplier ready)
            throws InterruptedException {
        Channel channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                new Routes(ready));
                    }
                })
                .bind(host, port).sync().channel();
        return new HttpEndpoint(channel);
    }

    /** The bound port (useful when bound to port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
    }

    private static final class Routes extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final BooleanSupplier ready;

        Routes(BooleanSupplier ready) {
            this.ready = ready;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = new QueryStringDecoder(request.uri()).path();
            FullHttpResponse response;
            if (!path.equals("/health")) {
                response = json(HttpResponseStatus.NOT_FOUND, "{\"error\":\"no such endpoint: " + path.replace("\"", "") + "\"}");
            } else if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
                response = json(HttpResponseStatus.METHOD_NOT_ALLOWED, "{\"error\":\"use GET\"}");
            } else if (ready.getAsBoolean()) {
                response = json(HttpResponseStatus.OK, "{\"status\":\"UP\"}");
            } else {
                response = json(HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"status\":\"STARTING\"}");
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            var future = ctx.writeAndFlush(response);
            if (!keepAlive) {
                future.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private static FullHttpResponse json(HttpResponseStatus status, String body) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body + "\n", StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            return response;
        }
    }
}
