package io.shardwire.proxy.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoRegistration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The spin's exits; a spin missing one runs into the class's timeout instead of the hour it is given. */
@Timeout(10)
class BusyPollIoHandlerTest {

    private static final long AN_HOUR = TimeUnit.HOURS.toNanos(1);

    @Test
    void pollsWithoutBlockingUntilSocketsAreReady() {
        Transport transport = new Transport(List.of(0, 0, 0, 2));

        int handled = new BusyPollIoHandler(transport, AN_HOUR).run(new Loop(() -> 0));

        assertThat(handled).isEqualTo(2);
        assertThat(transport.rounds).isEqualTo(4);
        assertThat(transport.blockingRounds).isZero();
    }

    @Test
    void blocksWhenNothingIsReadyWithinTheSpin() {
        Transport transport = new Transport(List.of());

        new BusyPollIoHandler(transport, TimeUnit.MILLISECONDS.toNanos(2)).run(new Loop(() -> 0));

        assertThat(transport.rounds).isGreaterThan(2);
        assertThat(transport.blockingRounds).isOne();
        assertThat(transport.lastMayBlock).as("the last round blocks").isTrue();
    }

    @Test
    void stopsSpinningWhenTheLoopGetsATask() {
        Transport transport = new Transport(List.of());
        // canBlock is asked once on entry, then after each poll: the task arrives during the third poll.
        Loop loop = new Loop(() -> transport.rounds >= 3 ? 1 : 0);

        int handled = new BusyPollIoHandler(transport, AN_HOUR).run(loop);

        assertThat(handled).as("nothing handled: the loop runs its task").isZero();
        assertThat(transport.rounds).isEqualTo(3);
        assertThat(transport.blockingRounds).isZero();
    }

    @Test
    void aLoopWithTasksPollsOnceAsItWould() {
        Transport transport = new Transport(List.of());

        new BusyPollIoHandler(transport, AN_HOUR).run(new Loop(() -> 1));

        assertThat(transport.rounds).isOne();
        assertThat(transport.blockingRounds).isZero();
    }

    /** An event loop's context; {@code tasks} > 0 means it has work besides I/O, so I/O must not block. */
    private record Loop(IntSupplier tasks) implements IoHandlerContext {
        @Override
        public boolean canBlock() {
            return tasks.getAsInt() == 0;
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            return AN_HOUR;
        }

        @Override
        public long deadlineNanos() {
            return -1;
        }
    }

    /** A transport whose rounds handle the given numbers of sockets, then none; it counts rounds and blocking ones. */
    private static final class Transport implements IoHandler {
        private final List<Integer> ready;
        int rounds;
        int blockingRounds;
        boolean lastMayBlock;

        Transport(List<Integer> ready) {
            this.ready = ready;
        }

        @Override
        public int run(IoHandlerContext context) {
            if (++rounds > 100_000_000) {
                throw new AssertionError("still polling after " + rounds + " rounds");
            }
            lastMayBlock = context.canBlock();
            if (lastMayBlock) {
                blockingRounds++;
            }
            return rounds <= ready.size() ? ready.get(rounds - 1) : 0;
        }

        @Override
        public IoRegistration register(IoHandle handle) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void wakeup() {
        }

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
            return false;
        }
    }
}
