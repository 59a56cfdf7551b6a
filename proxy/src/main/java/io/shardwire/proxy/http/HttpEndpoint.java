package io.shardwire.proxy.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
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
import io.shardwire.mq.http.QueueHttpApi;
import io.shardwire.mq.http.QueueHttpResponse;
import io.shardwire.proxy.frontend.NettyTransport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's HTTP port: {@code GET /health} answers 200 once the proxy is ready and 503 before; {@code GET /metrics}
 * answers every meter in the Prometheus text format; everything under {@code /queue/} is the queue's API
 * ({@link QueueHttpApi}, documented in {@code docs/queue.md}).
 *
 * <p>Health is answered on the event loop from memory. Queue requests may block (a fetch long-polls, a commit waits
 * for an fsync), so each is answered on a virtual thread of its own and its response written back with
 * {@code writeAndFlush}; a connection's responses still go out in the order of its requests.
 */
public final class HttpEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);

    /** Largest request body accepted; the only body is a commit's small JSON object. */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private static final ThreadFactory QUEUE_THREADS = Thread.ofVirtual().name("shardwire-queue-http-", 0).factory();
    private static final Executor ON_VIRTUAL_THREAD = task -> QUEUE_THREADS.newThread(task).start();

    /** The content type of the Prometheus text exposition format. */
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Channel serverChannel;

    private HttpEndpoint(Channel serverChannel) {
        this.serverChannel = serverChannel;
    }

    /**
     * Binds the endpoint.
     *
     * @param host  the address to listen on
     * @param port  the port, 0 for any free one
     * @param group the event loops that accept and serve connections
     * @param ready whether the proxy is ready to serve (read on every health request)
     * @param queue the queue API to serve under {@code /queue/}
     * @return the bound endpoint
     * @throws InterruptedException if interrupted while binding
     */
    public static HttpEndpoint bind(String host, int port, EventLoopGroup group, BooleanSupplier ready,
            QueueHttpApi queue) throws InterruptedException {
        return bind(host, port, group, ready, queue, null);
    }

    /**
     * Binds the endpoint with {@code GET /metrics}.
     *
     * @param metrics the Prometheus text of every meter, computed per request on a virtual thread (a scrape reads
     *                the queue's and the pools' state); null to answer 404 there
     * @see #bind(String, int, EventLoopGroup, BooleanSupplier, QueueHttpApi)
     */
    public static HttpEndpoint bind(String host, int port, EventLoopGroup group, BooleanSupplier ready,
            QueueHttpApi queue, Supplier<String> metrics) throws InterruptedException {
        Channel channel = new ServerBootstrap()
                .group(group)
                .channel(NettyTransport.of(group).serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                new Routes(ready, queue, metrics));
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

    /** One connection's requests. */
    private static final class Routes extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final BooleanSupplier ready;
        private final QueueHttpApi queue;
        private final Supplier<String> metrics;
        /**
         * Completes once this connection's latest response is written; the next waits for it, because HTTP/1.1
         * answers pipelined requests in order and a queue answer may take up to the fetch wait. Used on the event
         * loop only.
         */
        private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

        Routes(BooleanSupplier ready, QueueHttpApi queue, Supplier<String> metrics) {
            this.ready = ready;
            this.queue = queue;
            this.metrics = metrics;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (QueueHttpApi.handles(uri.path())) {
                // Copied here: the request's buffer is released when this method returns.
                String method = request.method().name();
                byte[] body = ByteBufUtil.getBytes(request.content());
                previous = previous.thenRunAsync(() -> answerQueue(ctx, method, uri, body, keepAlive),
                        ON_VIRTUAL_THREAD);
            } else if (uri.path().equals("/metrics") && metrics != null) {
                HttpMethod method = request.method();
                previous = previous.thenRunAsync(() -> answerMetrics(ctx, method, keepAlive), ON_VIRTUAL_THREAD);
            } else {
                FullHttpResponse response = health(uri.path(), request.method());
                previous = previous.thenRun(() -> write(ctx, response, keepAlive));
            }
        }

        private void answerQueue(ChannelHandlerContext ctx, String method, QueryStringDecoder uri, byte[] body,
                boolean keepAlive) {
            if (!ctx.channel().isActive()) {
                return;
            }
            try {
                QueueHttpResponse answer = queue.handle(method, uri.path(), uri.parameters(), body);
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
                answer.headers().forEach(response.headers()::set);
                response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
                write(ctx, response, keepAlive);
            } catch (RuntimeException e) {
                // The API answers its own failures; anything else would stall the connection's later responses.
                LOG.error("Answering {} {} failed; closing the connection", method, uri.path(), e);
                ctx.close();
            }
        }

        private void answerMetrics(ChannelHandlerContext ctx, HttpMethod method, boolean keepAlive) {
            try {
                write(ctx, metrics(method), keepAlive);
            } catch (RuntimeException e) {
                LOG.error("Answering GET /metrics failed; closing the connection", e);
                ctx.close();
            }
        }

        private FullHttpResponse metrics(HttpMethod method) {
            if (!method.equals(HttpMethod.GET)) {
                return json(HttpResponseStatus.METHOD_NOT_ALLOWED, "{\"error\":\"use GET\"}");
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(metrics.get(), StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, PROMETHEUS_TEXT);
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            return response;
        }

        private FullHttpResponse health(String path, HttpMethod method) {
            if (!path.equals("/health")) {
                return json(HttpResponseStatus.NOT_FOUND,
                        "{\"error\":\"no such endpoint: " + path.replace("\"", "") + "\"}");
            } else if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
                return json(HttpResponseStatus.METHOD_NOT_ALLOWED, "{\"error\":\"use GET\"}");
            } else if (ready.getAsBoolean()) {
                return json(HttpResponseStatus.OK, "{\"status\":\"UP\"}");
            } else {
                return json(HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"status\":\"STARTING\"}");
            }
        }

        private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
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
