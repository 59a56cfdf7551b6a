package io.shardwire.proxy.frontend;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.shardwire.proxy.protocol.MySQLPacket;
import io.shardwire.proxy.protocol.MySQLSequenceReset;
import io.shardwire.proxy.session.ClientGoneException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes response packets to one client from a worker (virtual) thread, blocking that thread while
 * the channel is not writable or while the event loop has not yet written the batches handed to it:
 * a slow client (or a busy event loop) slows the backend read instead of filling memory.
 * Install {@link #writabilityHandler()} in the channel's pipeline so the gate hears changes.
 *
 * <p>Used by one worker thread at a time (commands of a session run one after another).
 */
public final class PacketChannel {

    private final Channel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writableOrClosed = lock.newCondition();
    private List<Object> pending = new ArrayList<>();
    /** Batches handed to the event loop and not yet written: tasks the channel's writability does not count. */
    private final AtomicInteger inFlight = new AtomicInteger();

    /** Flush at least every this many packets, so rows reach the client while the backend still sends. */
    private static final int FLUSH_EVERY = 64;
    /** Batches the worker may have queued ahead of the event loop: one being written, one being filled. */
    private static final int MAX_IN_FLIGHT = 2;

    public PacketChannel(Channel channel) {
        this.channel = channel;
    }

    /** The handler that wakes writers when the channel becomes writable or inactive. */
    public ChannelDuplexHandler writabilityHandler() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                signal();
                ctx.fireChannelWritabilityChanged();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                signal();
                ctx.fireChannelInactive();
            }
        };
    }

    /** Whether every packet handed to it has been written to the channel (on the event loop: none left to hand). */
    public boolean drained() {
        return pending.isEmpty() && inFlight.get() == 0;
    }

    /** Whether the client is still connected. */
    public boolean isOpen() {
        return channel.isActive();
    }

    /**
     * Queues a packet, flushing periodically, and waits while the outbound buffer is over its high
     * water mark.
     *
     * @throws ClientGoneException if the client disconnected; the caller should abandon its work
     */
    public void write(MySQLPacket packet) throws ClientGoneException {
        if (!channel.isActive()) {
            throw new ClientGoneException();
        }
        pending.add(packet);
        if (pending.size() >= FLUSH_EVERY || !channel.isWritable()) {
            flush();
            awaitWritable();
        }
    }

    /**
     * Starts the response to a command: its packets are numbered from {@code firstSequenceId} (1, or past the pieces
     * of a command of 16 MB or more) whatever the client sent since.
     */
    public void beginResponse(int firstSequenceId) throws ClientGoneException {
        if (!channel.isActive()) {
            throw new ClientGoneException();
        }
        pending.add(firstSequenceId == 1 ? MySQLSequenceReset.COMMAND_RESPONSE : new MySQLSequenceReset(firstSequenceId));
    }

    /** Queues the last packet of a response and flushes everything. */
    public void writeAndFlush(MySQLPacket packet) throws ClientGoneException {
        if (!channel.isActive()) {
            throw new ClientGoneException();
        }
        pending.add(packet);
        flush();
    }

    /** Flushes what was queued, as the end of a response. */
    public void flushAll() throws ClientGoneException {
        if (!channel.isActive()) {
            throw new ClientGoneException();
        }
        flush();
    }

    /**
     * Hands the queued packets to the event loop as one task: one thread hand-off per batch rather
     * than per packet, which is most of a small response's cost.
     */
    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Object> batch = pending;
        pending = new ArrayList<>();
        inFlight.incrementAndGet();
        channel.eventLoop().execute(() -> {
            try {
                for (Object message : batch) {
                    channel.write(message, channel.voidPromise());
                }
                channel.flush();
            } finally {
                inFlight.decrementAndGet();
                signal();
            }
        });
    }

    private void awaitWritable() throws ClientGoneException {
        lock.lock();
        try {
            // Until the event loop has written the earlier batches, writability does not know of them:
            // without this wait a worker faster than the event loop queued rows without bound.
            while (channel.isActive() && (!channel.isWritable() || inFlight.get() >= MAX_IN_FLIGHT)) {
                writableOrClosed.await(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientGoneException();
        } finally {
            lock.unlock();
        }
        if (!channel.isActive()) {
            throw new ClientGoneException();
        }
    }

    private void signal() {
        lock.lock();
        try {
            writableOrClosed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
