package io.shardwire.proxy;

import io.netty.channel.EventLoopGroup;
import io.shardwire.config.QueueConfig;
import io.shardwire.cdc.ChangeCaptures;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.bridge.QueueBridge;
import io.shardwire.mq.http.QueueHttpApi;
import io.shardwire.mq.log.FsyncPolicy;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.shardwire.proxy.backend.BackendPools;
import io.shardwire.proxy.backend.nativ.NativeBackends;
import io.shardwire.proxy.backend.nativ.NativeFallback;
import io.shardwire.proxy.bridge.BridgeStarter;
import io.shardwire.proxy.cdc.CdcStarter;
import io.shardwire.proxy.frontend.FrontendServer;
import io.shardwire.proxy.frontend.NettyTransport;
import io.shardwire.proxy.http.HttpEndpoint;
import io.shardwire.proxy.admin.AdminConsole;
import io.shardwire.proxy.cdc.DdlHold;
import io.shardwire.proxy.frontend.SessionObservers;
import io.shardwire.proxy.deadlock.GlobalDeadlocks;
import io.shardwire.proxy.failover.FailoverCoordinator;
import io.shardwire.proxy.health.HealthMonitor;
import io.shardwire.proxy.topology.Topology;
import io.shardwire.proxy.live.LiveConfig;
import io.shardwire.proxy.metrics.CdcMetrics;
import io.shardwire.proxy.metrics.DataSourceMetrics;
import io.shardwire.proxy.metrics.ProxyMetrics;
import io.shardwire.proxy.metrics.QueueMetrics;
import io.shardwire.proxy.metrics.SlowQueryLog;
import io.shardwire.proxy.session.SessionRegistry;
import io.shardwire.proxy.xa.CrossGroupCommits;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Shardwire proxy: the MySQL listener, the HTTP endpoint, the backend pools, the worker
 * threads, the durable queue and its bridges, started from one validated configuration and stopped
 * together.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class ShardwireServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShardwireServer.class);

    private final ShardwireConfig config;
    private final LiveConfig live;
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final Topology topology;
    private final HealthMonitor health;
    private final SessionRegistry sessions = new SessionRegistry();
    private GlobalDeadlocks deadlocks;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ExecutorService workers;
    private final BackendPools pools;
    /** Native backend connections for prepared single-node reads; null when {@code server.nativeBackend} is off. */
    private final NativeBackends nativeBackends;
    private QueueStore queue;
    private QueueMetrics queueMetrics;
    /** How long a start waits for every capture to stream (a first snapshot of a large table is included). */
    private static final Duration CAPTURE_STREAMING_TIMEOUT = Duration.ofMinutes(10);
    private volatile ChangeCaptures captures;
    private volatile List<QueueBridge> bridges = List.of();
    private CrossGroupCommits commits;
    private FrontendServer frontend;
    private HttpEndpoint http;
    private volatile boolean ready;
    private boolean closed;

    private ShardwireServer(ShardwireConfig config) {
        this.config = config;
        this.topology = loadTopology(config); // first: a refusal must leave nothing running
        this.live = new LiveConfig(config);
        NettyTransport transport = NettyTransport.of(config.server().ioTransport());
        this.bossGroup = transport.eventLoops(1);
        // Client and native backend connections live on these loops; accepting does not need to spin.
        this.workerGroup = transport.eventLoops(NettyTransport.workerThreads(), config.server().busyPollMicros());
        // Backend calls block in JDBC; virtual threads keep them off the event loop at little cost.
        this.workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("shardwire-session-", 0).factory());
        this.health = HealthMonitor.start(config, topology, Clock.systemUTC());
        this.pools = new BackendPools(config, metrics.registry(), health, topology);
        this.nativeBackends = config.server().nativeBackend() ? new NativeBackends(transport.socketChannel()) : null;
        if (nativeBackends != null) {
            FunctionCounter.builder("shardwire.native.executions", nativeBackends, NativeBackends::executions)
                    .description("prepared reads run over native backend connections").register(metrics.registry());
            Gauge.builder("shardwire.native.connections", nativeBackends, NativeBackends::openConnections)
                    .description("native backend connections open, idle or in use").register(metrics.registry());
            for (NativeFallback reason : NativeFallback.values()) {
                FunctionCounter.builder("shardwire.native.fallbacks", nativeBackends, b -> b.fallbacks(reason))
                        .tag("reason", reason.tag())
                        .description("prepared reads the native path would have run that the JDBC path ran instead")
                        .register(metrics.registry());
            }
        }
        DataSourceMetrics.bind(health, metrics.registry());
        FailoverCoordinator.start(config, health, topology, pools, this::captures, metrics.failovers());
    }

    /** The primaries a failover left in the data dir, else the configured ones. */
    private static Topology loadTopology(ShardwireConfig config) {
        try {
            return Topology.load(config);
        } catch (IOException | RuntimeException e) {
            throw new ServerStartException("cannot read the topology in " + config.dataDir() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the queue, binds the MySQL and HTTP ports and starts serving. Backends that are down do
     * not stop the start: statements that need them get an error until they are back.
     *
     * @throws ServerStartException when the queue cannot be opened or a port cannot be bound;
     *     nothing is left running then
     */
    public static ShardwireServer start(ShardwireConfig config) {
        ShardwireServer server = open(config);
        server.awaitCaptureStreaming();
        server.markReady();
        return server;
    }

    /**
     * Waits until every capture reads its primary's binlog, so that ready means changes are captured:
     * DDL that lands while a capture still takes its first snapshot can leave it without that table's
     * schema (Debezium then stops with "schema isn't known to this connector").
     */
    public void awaitCaptureStreaming() {
        if (captures == null) {
            return;
        }
        try {
            captures.awaitStreaming(CAPTURE_STREAMING_TIMEOUT);
        } catch (TimeoutException e) {
            close();
            throw new ServerStartException("change capture did not start streaming within "
                    + CAPTURE_STREAMING_TIMEOUT.toSeconds() + " s: " + e.getMessage()
                    + " (check the shard group primaries and the cdc section of the configuration)", e);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new ServerStartException("Shardwire start was interrupted", e);
        }
    }

    /**
     * Binds the ports and serves, but {@code /health} reports STARTING until {@link #markReady()}:
     * for a launcher that has more to do (the demo loads its sample data through the proxy).
     *
     * @throws ServerStartException when a port cannot be bound; nothing is left running then
     */
    public static ShardwireServer open(ShardwireConfig config) {
        ShardwireServer server = new ShardwireServer(config);
        try {
            server.openQueue();
            server.recoverTransactions();
            server.bind();
            server.startCapture();
            server.startBridges();
        } catch (InterruptedException e) {
            server.close();
            Thread.currentThread().interrupt();
            throw new ServerStartException("Shardwire start was interrupted", e);
        } catch (ServerStartException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Reports the proxy ready on {@code /health}. */
    public void markReady() {
        ready = true;
        log.info("Shardwire ready: MySQL on {}:{}, HTTP on {}:{}, {} shard groups, queue {}, config {}, I/O {}",
                config.server().host(), port(), config.server().host(), httpPort(),
                config.shardGroups().size(), config.queue().dataDir(), config.source(),
                NettyTransport.of(bossGroup).name().toLowerCase(Locale.ROOT)
                        + (config.server().busyPollMicros() > 0
                        ? " busy-polling " + config.server().busyPollMicros() + " us" : ""));
    }

    /**
     * Opens the XA decision log and settles the branches a previous run left prepared, before any
     * client can connect; a group it cannot settle now is retried in the background (see {@link CrossGroupCommits}).
     */
    private void recoverTransactions() {
        try {
            commits = CrossGroupCommits.open(config, pools, committed -> metrics.xaTransactions(committed).increment());
            metrics.bindXaRecovery(commits::recoveryPendingGroups, commits::recoveryPendingDecisions,
                    commits::recoveryPendingTransactions);
        } catch (IOException | RuntimeException e) {
            throw new ServerStartException("cannot open the XA decision log in " + config.dataDir().resolve("xa") + ": "
                    + e.getMessage() + " (check server.dataDir and that directory's permissions)", e);
        }
    }

    /** Starts change capture into the queue when the configuration enables it. */
    private void startCapture() {
        if (!config.cdc().enabled()) {
            return;
        }
        try {
            captures = CdcStarter.start(live, pools, queue);
            CdcMetrics.bind(captures, metrics.registry());
        } catch (IOException | RuntimeException e) {
            throw new ServerStartException("cannot start change capture: " + e.getMessage()
                    + " (check the cdc section of the configuration and the shard group primaries' binlog settings)", e);
        }
    }

    /** Starts the bridges to Kafka and RabbitMQ that the configuration names. */
    private void startBridges() {
        try {
            bridges = BridgeStarter.start(config.queue().bridges(), queue);
        } catch (RuntimeException e) {
            throw new ServerStartException("cannot start the queue bridges: " + e.getMessage()
                    + " (check queue.bridges in the configuration)", e);
        }
    }

    /** The running bridges, none unless the configuration names some. */
    public List<QueueBridge> bridges() {
        return bridges;
    }

    /** The running change captures, if the configuration enables them. */
    public Optional<ChangeCaptures> captures() {
        return Optional.ofNullable(captures);
    }

    private void openQueue() {
        QueueConfig settings = config.queue();
        try {
            queue = QueueStore.open(queueSettings(settings), Clock.systemUTC());
            queueMetrics = new QueueMetrics(queue, metrics.registry());
        } catch (IOException | RuntimeException e) {
            throw new ServerStartException("cannot open the queue in " + settings.dataDir() + ": " + e.getMessage()
                    + " (check queue.dataDir in the configuration and that directory's permissions)", e);
        }
    }

    /**
     * The queue's settings from the configuration; what the configuration does not set (index
     * interval, how often retention runs) keeps the queue's defaults.
     */
    private static QueueSettings queueSettings(QueueConfig config) {
        QueueSettings defaults = QueueSettings.defaults(config.dataDir());
        FsyncPolicy fsync = switch (config.fsync()) {
            case BATCH -> FsyncPolicy.BATCH;
            case INTERVAL -> FsyncPolicy.INTERVAL;
            case NEVER -> FsyncPolicy.NEVER;
        };
        return new QueueSettings(config.dataDir(), config.segmentBytes(), fsync, config.fsyncIntervalMs(),
                config.retentionHours(), config.retentionBytes(), config.diskQuotaBytes(),
                defaults.indexIntervalBytes(), defaults.retentionCheckIntervalMs());
    }

    private void bind() throws InterruptedException {
        String host = config.server().host();
        QueueHttpApi queueApi = new QueueHttpApi(queue,
                () -> bridges.stream().map(QueueBridge::status).toList());
        http = bindOrExplain(() -> HttpEndpoint.bind(host, config.server().httpPort(), bossGroup, () -> ready,
                queueApi, this::scrapeMetrics), "HTTP", host, config.server().httpPort());
        SessionObservers observers = new SessionObservers(metrics,
                new SlowQueryLog(() -> live.config().monitoring().slowQueryMs(), metrics),
                new AdminConsole(live, health, pools, sessions, this::captures, queue),
                new DdlHold(config.cdc().enabled(), this::captures, DdlHold.MAX_WAIT));
        frontend = bindOrExplain(() -> FrontendServer.bind(live, pools, commits, workers, bossGroup, workerGroup, sessions,
                observers, nativeBackends),
                "MySQL", host, config.server().port());
        deadlocks = GlobalDeadlocks.start(sessions, pools, metrics.globalDeadlocks());
    }

    private interface Binder<T> {
        T bind() throws InterruptedException;
    }

    private static <T> T bindOrExplain(Binder<T> binder, String what, String host, int port) throws InterruptedException {
        try {
            return binder.bind();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // Netty rethrows the bind's java.net.BindException without declaring it; name the port it was for.
            throw new ServerStartException("cannot listen for " + what + " on " + host + ":" + port + ": " + e.getMessage()
                    + " (is another server on that port? choose another in the configuration or with --port/--http-port)", e);
        }
    }

    private String scrapeMetrics() {
        queueMetrics.refresh();
        return metrics.scrape();
    }

    /** The configuration this server runs with now (a reload may have replaced the one it started with). */
    public ShardwireConfig config() {
        return live.config();
    }

    /** The health of every data source, as the monitor last saw it. */
    public HealthMonitor health() {
        return health;
    }

    /** The MySQL protocol port. */
    public int port() {
        return frontend.port();
    }

    /** The HTTP port. */
    public int httpPort() {
        return http.port();
    }

    /**
     * The durable queue: the CDC appends to it and creates its topics; consumers read it over the
     * HTTP port.
     */
    public QueueStore queue() {
        return queue;
    }

    /** Backend connections sessions hold now; 0 once every client is gone, unless one leaked. */
    public int activeBackendConnections() {
        return pools.activeConnections();
    }

    /** Whether {@code /health} reports the proxy as up. */
    public boolean isReady() {
        return ready;
    }

    /** Stops accepting, closes client connections, then backends, threads and the queue. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ready = false;
        if (frontend != null) {
            frontend.close();
        }
        if (http != null) {
            http.close();
        }
        if (deadlocks != null) {
            deadlocks.close();
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Before the captures and the queue: a bridge reads the queue until it stops.
        bridges.forEach(QueueBridge::close);
        if (captures != null) {
            captures.close();
        }
        health.close();
        pools.close();
        if (commits != null) {
            try {
                commits.close();
            } catch (IOException e) {
                log.warn("Closing the XA decision log failed; it is checked at the next start", e);
            }
        }
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        // Last, once no connection can reach it any more; closing forces whatever is not yet on disk.
        if (queue != null) {
            try {
                queue.close();
            } catch (IOException e) {
                log.error("Closing the queue in {} failed; it recovers its logs at the next start",
                        config.queue().dataDir(), e);
            }
        }
        log.info("Shardwire stopped");
    }

    /** The proxy could not start; the message says which port or resource and why. */
    public static final class ServerStartException extends RuntimeException {
        ServerStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
