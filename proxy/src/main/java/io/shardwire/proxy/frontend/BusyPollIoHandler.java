package io.shardwire.proxy.frontend;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import java.util.concurrent.TimeUnit;

/**
 * An event loop's I/O that, when the loop runs out of work ({@code server.busyPollMicros}), keeps polling its sockets
 * without sleeping for up to the configured time and blocks only then. A query through the proxy wakes a sleeping loop
 * twice (the client's statement, the backend's answer); at low concurrency those wake-ups are most of the latency the
 * proxy adds (docs/benchmarks.md). The spin ends as soon as the loop has a task (another thread's write) or a timer
 * due, which a loop that is not asleep would not be woken for. Any transport: each poll is the transport's own
 * non-blocking round (epoll_wait without timeout; io_uring's completion queue, read in memory when nothing waits to
 * be submitted).
 */
final class BusyPollIoHandler implements IoHandler {

    private final IoHandler delegate;
    private final long spinNanos;

    BusyPollIoHandler(IoHandler delegate, long spinNanos) {
        this.delegate = delegate;
        this.spinNanos = spinNanos;
    }

    /** Handlers of {@code handlers} that busy-poll for {@code busyPollMicros} before they block. */
    static IoHandlerFactory wrap(IoHandlerFactory handlers, int busyPollMicros) {
        long spinNanos = TimeUnit.MICROSECONDS.toNanos(busyPollMicros);
        return executor -> new BusyPollIoHandler(handlers.newHandler(executor), spinNanos);
    }

    @Override
    public int run(IoHandlerContext context) {
        if (!context.canBlock()) {
            return delegate.run(context);
        }
        IoHandlerContext poll = new NonBlocking(context);
        long start = System.nanoTime();
        do {
            int handled = delegate.run(poll);
            if (handled > 0 || !context.canBlock()) {
                return handled;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - start < spinNanos);
        return delegate.run(context);
    }

    @Override
    public void initialize() {
        delegate.initialize();
    }

    @Override
    public void prepareToDestroy() {
        delegate.prepareToDestroy();
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return delegate.register(handle);
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return delegate.isCompatible(handleType);
    }

    /** The loop's context, except that a round may not block: it polls once and returns. */
    private record NonBlocking(IoHandlerContext loop) implements IoHandlerContext {
        @Override
        public boolean canBlock() {
            return false;
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            return loop.delayNanos(currentTimeNanos);
        }

        @Override
        public long deadlineNanos() {
            return loop.deadlineNanos();
        }

        @Override
        public void reportActiveIoTime(long activeNanos) {
            loop.reportActiveIoTime(activeNanos);
        }

        @Override
        public boolean shouldReportActiveIoTime() {
            return loop.shouldReportActiveIoTime();
        }
    }
}
