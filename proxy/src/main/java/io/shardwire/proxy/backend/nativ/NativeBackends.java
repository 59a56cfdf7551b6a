package io.shardwire.proxy.backend.nativ;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native backend connections of the proxy: per event loop (a client connection and its backend connection share
 * one, so a result passes from one to the other without a thread hand-off) and per {@link NativeTarget}, a few idle
 * authenticated connections. Sessions with SETs of their own use connections that replayed the same SETs (targets of
 * their own); at most {@value #MAX_SET_STATES} such lists of SETs keep idle connections per event loop, the least
 * recently used one's closed for a new one, so sessions that each set something else (user variables) cannot pile
 * up connections on the servers. A data source whose server asks for an authentication plugin this client does not
 * speak is left to the JDBC path from then on (one log line).
 *
 * <p>{@link #acquire} and {@link #release} run on the event loop they name.
 */
public final class NativeBackends {

    private static final Logger log = LoggerFactory.getLogger(NativeBackends.class);

    /** Idle connections kept per event loop and target. */
    static final int MAX_IDLE = 8;
    /** Lists of session SETs whose connections are kept idle, per event loop. */
    static final int MAX_SET_STATES = 4;

    private final Class<? extends SocketChannel> channelType;
    private final Map<EventLoop, LoopPools> idle = new ConcurrentHashMap<>();
    /** host:port of data sources whose login this client cannot do. */
    private final Set<String> unsupported = ConcurrentHashMap.newKeySet();
    private final LongAdder executions = new LongAdder();
    /** Connections logged in and not closed yet, idle or in use. */
    private final LongAdder open = new LongAdder();
    /** Filled once in the constructor, then only read. */
    private final Map<NativeFallback, LongAdder> fallbacks = new EnumMap<>(NativeFallback.class);

    /** @param channelType the socket channel class of the event loops' transport */
    public NativeBackends(Class<? extends SocketChannel> channelType) {
        this.channelType = channelType;
        for (NativeFallback reason : NativeFallback.values()) {
            fallbacks.put(reason, new LongAdder());
        }
    }

    /** Whether the data source may be used natively (its login is one this client speaks, as far as known). */
    public boolean supports(String host, int port) {
        return unsupported.isEmpty() || !unsupported.contains(host + ":" + port);
    }

    /**
     * An idle connection to the target on this event loop, or a new one. Idle connections to the group's former
     * primary (another address) and to a replica at the primary's address (promoted) are closed when the target is the
     * primary. A new one that is not logged in within {@code loginTimeoutMs} fails.
     */
    public Future<NativeConnection> acquire(EventLoop loop, NativeTarget target, int loginTimeoutMs) {
        LoopPools loopPools = idle.computeIfAbsent(loop, l -> new LoopPools());
        ArrayDeque<NativeConnection> pool = loopPools.pool(target);
        NativeConnection connection;
        while ((connection = pool.pollLast()) != null) {
            if (connection.usable()) {
                return loop.newSucceededFuture(connection);
            }
            connection.close();
        }
        Promise<NativeConnection> ready = loop.newPromise();
        NativeConnection.open(loop, channelType, target, loginTimeoutMs, ready);
        ready.addListener(f -> {
            if (f.isSuccess()) {
                open.increment();
                ready.getNow().channel().closeFuture().addListener(closed -> open.decrement());
            }
            if (f.cause() instanceof UnsupportedAuthException unsupportedAuth
                    && unsupported.add(target.address())) {
                log.warn("native backend path off for {}: {}", target.address(), unsupportedAuth.getMessage());
            }
        });
        return ready;
    }

    /** Gives a connection back after a complete response, or closes it when it is not fit to be reused. */
    public void release(EventLoop loop, NativeConnection connection, boolean current) {
        ArrayDeque<NativeConnection> pool = idle.computeIfAbsent(loop, l -> new LoopPools()).pools
                .get(connection.target());
        if (current && pool != null && connection.usable() && connection.roomForStatements() && pool.size() < MAX_IDLE) {
            pool.addLast(connection);
        } else {
            connection.close();
        }
    }

    /** The idle connections of one event loop, by target. Used from that event loop only. */
    private static final class LoopPools {
        private final Map<NativeTarget, ArrayDeque<NativeConnection>> pools = new HashMap<>();
        /** The lists of session SETs that have pools here, least recently used first. */
        private final LinkedHashMap<List<String>, Boolean> setStates = new LinkedHashMap<>(8, 0.75f, true);

        /**
         * The target's pool, made if new (closing those of a former primary or a promoted replica, and of the least
         * recently used SETs past {@value NativeBackends#MAX_SET_STATES}).
         */
        ArrayDeque<NativeConnection> pool(NativeTarget target) {
            if (!target.sessionSets().isEmpty() && setStates.put(target.sessionSets(), Boolean.TRUE) == null
                    && setStates.size() > MAX_SET_STATES) {
                List<String> eldest = setStates.keySet().iterator().next();
                setStates.remove(eldest);
                drop(other -> other.sessionSets().equals(eldest));
            }
            ArrayDeque<NativeConnection> pool = pools.get(target);
            if (pool == null) {
                drop(other -> other.supersededBy(target));
                pool = new ArrayDeque<>();
                pools.put(target, pool);
            }
            return pool;
        }

        /** Closes and forgets the pools of the targets that match; their connections in use are closed when released. */
        private void drop(Predicate<NativeTarget> which) {
            Iterator<Map.Entry<NativeTarget, ArrayDeque<NativeConnection>>> entries = pools.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<NativeTarget, ArrayDeque<NativeConnection>> entry = entries.next();
                if (which.test(entry.getKey())) {
                    entry.getValue().forEach(NativeConnection::close);
                    entries.remove();
                }
            }
        }
    }

    /** Counts a statement that ran over the native path. */
    public void executed() {
        executions.increment();
    }

    /** Statements run over the native path since start. */
    public long executions() {
        return executions.sum();
    }

    /** Native connections open now, idle or in use. */
    public long openConnections() {
        return open.sum();
    }

    /** Counts a read the native path would have run that went to the JDBC path, for this reason. */
    public void fellBack(NativeFallback reason) {
        fallbacks.get(reason).increment();
    }

    /** Reads that went to the JDBC path for this reason since start. */
    public long fallbacks(NativeFallback reason) {
        return fallbacks.get(reason).sum();
    }
}
