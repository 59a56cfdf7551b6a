package io.shardwire.proxy.frontend;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.shardwire.proxy.protocol.MySQLSequenceReset;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.proxy.protocol.packet.generic.MySQLErrPacket;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * MySQL's {@code wait_timeout} for one client connection: once no command is running, a client that sends nothing
 * for the timeout gets ERR 4031 (ER_CLIENT_INTERACTION_TIMEOUT, as MySQL 8 sends) and is disconnected. A command
 * that runs longer than the timeout does not count as idle time.
 *
 * <p>{@link #arm} and {@link #disarm} may be called from any thread; the timer runs on the channel's event loop.
 */
final class IdleTimeout {

    private final Channel channel;
    private final Duration timeout;
    private final BooleanSupplier idle;
    private ScheduledFuture<?> timer;

    /**
     * @param channel the client connection
     * @param timeout how long the client may stay silent between commands
     * @param idle    whether no command is queued or running, checked when the timer fires
     */
    IdleTimeout(Channel channel, Duration timeout, BooleanSupplier idle) {
        this.channel = channel;
        this.timeout = timeout;
        this.idle = idle;
    }

    /** Starts (or restarts) the timeout: the client is now waited for. */
    void arm() {
        channel.eventLoop().execute(() -> {
            cancel();
            if (channel.isActive()) {
                timer = channel.eventLoop().schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        });
    }

    /** Stops the timeout: the client sent a command. */
    void disarm() {
        channel.eventLoop().execute(this::cancel);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire() {
        timer = null;
        // A command that arrived just before the timer fired re-arms the timeout when it finishes.
        if (!idle.getAsBoolean() || !channel.isActive()) {
            return;
        }
        // Not an answer to any command: the client reads it on its next one, so it is numbered from 0.
        channel.write(new MySQLSequenceReset(0));
        channel.writeAndFlush(MySQLErrPacket.of(MySQLErrorCode.ER_CLIENT_INTERACTION_TIMEOUT))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
