package io.shardwire.proxy.http;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.http.QueueHttpApi;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * A queue store in a directory, served by the real {@link HttpEndpoint} on a free port with one event loop thread
 * (so that anything blocking it would show), without the rest of the proxy.
 */
public final class QueueEndpointFixture implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final QueueStore store;
    private final HttpEndpoint endpoint;

    /**
     * @param dataDir the store's directory
     * @throws Exception if the store cannot be opened or the port bound
     */
    public QueueEndpointFixture(Path dataDir) throws Exception {
        store = QueueStore.open(QueueSettings.defaults(dataDir), Clock.systemUTC());
        endpoint = HttpEndpoint.bind("127.0.0.1", 0, group, () -> true, new QueueHttpApi(store));
    }

    /** @return the store served */
    public QueueStore store() {
        return store;
    }

    /** @return the endpoint's port */
    public int port() {
        return endpoint.port();
    }

    /** @return the endpoint's base URL */
    public URI url() {
        return URI.create("http://127.0.0.1:" + endpoint.port());
    }

    @Override
    public void close() throws Exception {
        endpoint.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        store.close();
    }
}
