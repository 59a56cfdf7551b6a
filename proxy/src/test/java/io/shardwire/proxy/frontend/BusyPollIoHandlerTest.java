package io.shardwire.proxy.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoRegistration;
import java.util.ArrayList;
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
        assertThat(transport.mayBlock).containsExactly(false, false, false, false);
    }

    @Test
    void blocksWhenNothingIsReadyWithinTheSpin() {
        Transport transport = new Transport(List.of());

        new BusyPollIoHandler(transport, TimeUnit.MILLISECONDS.toNanos(2)).run(new Loop(() -> 0));

        assertThat(transport.mayBlock).hasSizeGreaterThan(2).endsWith(false, true);
        assertThat(transport.mayBlock.subList(0, transport.mayBlock.size() - 1)).containsOnly(false);
    }

    @Test
    void stopsSpinningWhenTheLoopGetsATask() {
        Transport transport = new Transport(List.of());
        // canBlock is asked once on entry, then after each poll: the task arrives during the third poll.
        Loop loop = new Loop(() -> transport.mayBlock.size() >= 3 ? 1 : 0);

        int handled = new BusyPollIoHandler(transport, AN_HOUR).run(loop);

        assertThat(handled).as("nothing handled: the loop runs its task").isZero();
        assertThat(transport.mayBlock).containsExactly(false, false, false);
    }

    @Test
    void aLoopWithTasksPollsOnceAsItWould() {
        Transport transport = new Transport(List.of());

        new BusyPollIoHandler(transport, AN_HOUR).run(new Loop(() -> 1));

        assertThat(transport.mayBlock).containsExactly(false);
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

    /** A transport whose rounds handle the given numbers of sockets, then none; it records whether each could block. */
    private static final class Transport implements IoHandler {
        private final List<Integer> ready;
        final List<Boolean> mayBlock = new ArrayList<>();

        Transport(List<Integer> ready) {
            this.ready = ready;
        }

        @Override
        public int run(IoHandlerContext context) {
            mayBlock.add(context.canBlock());
            return mayBlock.size() <= ready.size() ? ready.get(mayBlock.size() - 1) : 0;
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
