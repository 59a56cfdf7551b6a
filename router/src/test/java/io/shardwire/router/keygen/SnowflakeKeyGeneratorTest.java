package io.shardwire.router.keygen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SnowflakeKeyGeneratorTest {

    /** A clock that returns what the test sets. */
    private static final class ManualClock extends Clock {
        final AtomicLong millis = new AtomicLong(SnowflakeKeyGenerator.EPOCH.toEpochMilli() + 1000);

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public long millis() {
            return millis.get();
        }
    }

    @Test
    void keysCarryTimeWorkerAndSequence() {
        ManualClock clock = new ManualClock();
        SnowflakeKeyGenerator keys = new SnowflakeKeyGenerator(5, clock);

        long first = keys.nextKey();
        long second = keys.nextKey();

        assertThat(first).isEqualTo(1000L << 22 | 5L << 12);
        assertThat(second).isEqualTo(first + 1);
    }

    @Test
    void keysKeepIncreasingWhenTheClockStepsBackOrASequenceRunsOut() {
        ManualClock clock = new ManualClock();
        SnowflakeKeyGenerator keys = new SnowflakeKeyGenerator(0, clock);
        long previous = keys.nextKey();
        clock.millis.addAndGet(-500);
        for (int i = 0; i < 5000; i++) {
            long next = keys.nextKey();
            assertThat(next).isGreaterThan(previous);
            previous = next;
        }
        // 5001 keys in one frozen millisecond: the generator borrowed the next one.
        assertThat(previous >>> 22).isEqualTo(1001);
    }

    @Test
    void concurrentCallersGetDistinctKeys() {
        SnowflakeKeyGenerator keys = new SnowflakeKeyGenerator(1, Clock.systemUTC());
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 20_000).parallel().forEach(i -> assertThat(seen.add(keys.nextKey())).isTrue());
        assertThat(seen).hasSize(20_000);
    }

    @Test
    void workerIdsAreTenBits() {
        assertThatThrownBy(() -> new SnowflakeKeyGenerator(1024, Clock.systemUTC()))
                .hasMessage("workerId: 1024 (expected: 0..1023)");
    }
}
