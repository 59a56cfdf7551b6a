package io.shardwire.proxy.frontend;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.shardwire.proxy.protocol.MySQLSequenceReset;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.proxy.protocol.packet.generic.MySQLErrPacket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * MySQL's {@code wait_timeout} for one client connection: once no command is running, a client that sends nothing
 * for the timeout gets ERR 4031 (ER_CLIENT_INTERACTION_TIMEOUT, as MySQL 8 sends) and is disconnected. A command
 * that runs longer than the timeout does not count as idle time.
 *
 * <p>{@link #arm} and {@link #disarm} may be called from any thread and only write a field: a command costs the
 * event loop no task of its own (arming a timer per command handed one to the event loop from the worker, a
 * wake-up per response). One timer per connection runs on the event loop instead, and when it fires it either
 * expires the connection or sleeps again until the client's silence could have lasted the timeout.
 */
final class IdleTimeout {

    private final Channel channel;
    private final long timeoutNanos;
    private final BooleanSupplier idle;
    /** When the client began to be waited for ({@link System#nanoTime}); meaningful while armed. */
    private volatile long idleSince;
    private volatile boolean armed;

    /**
     * @param channel the client connection
     * @param timeout how long the client may stay silent between commands
     * @param idle    whether no command is queued or running, checked when the timer fires
     */
    IdleTimeout(Channel channel, Duration timeout, BooleanSupplier idle) {
        this.channel = channel;
        this.timeoutNanos = timeout.toNanos();
        this.idle = idle;
    }

    /** Starts the connection's timer, armed: the client is waited for. Called once, on the event loop. */
    void start() {
        arm();
        check(timeoutNanos);
    }

    /** Restarts the timeout: the client is now waited for. */
    void arm() {
        idleSince = System.nanoTime();
        armed = true;
    }

    /** Stops the timeout: the client sent a command. */
    void disarm() {
        armed = false;
    }

    /** Sleeps {@code delayNanos} on the event loop, then looks whether the client has been silent for the timeout. */
    private void check(long delayNanos) {
        if (channel.isActive()) {
            channel.eventLoop().schedule(this::fire, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void fire() {
        if (!channel.isActive()) {
            return;
        }
        // A command that arrived just before the timer fired re-arms the timeout when it finishes.
        if (!armed || !idle.getAsBoolean()) {
            check(timeoutNanos);
            return;
        }
        long remaining = timeoutNanos - (System.nanoTime() - idleSince);
        if (remaining > 0) {
            check(remaining);
            return;
        }
        // Not an answer to any command: the client reads it on its next one, so it is numbered from 0.
        channel.write(new MySQLSequenceReset(0));
        channel.writeAndFlush(MySQLErrPacket.of(MySQLErrorCode.ER_CLIENT_INTERACTION_TIMEOUT))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
