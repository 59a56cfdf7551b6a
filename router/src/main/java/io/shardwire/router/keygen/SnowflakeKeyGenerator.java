package io.shardwire.router.keygen;

import java.time.Clock;
import java.time.Instant;

/**
 * Snowflake-style 63-bit keys: 41 bits of milliseconds since 2024-01-01T00:00:00Z, 10 bits of
 * worker id, 12 bits of sequence within the millisecond. Keys from one generator strictly increase;
 * generators with different worker ids never collide. If the clock steps back, the generator keeps
 * counting from the last millisecond it used rather than repeat a key; if more than 4096 keys are
 * asked for within one millisecond, it borrows the next millisecond. Thread-safe.
 */
public final class SnowflakeKeyGenerator implements KeyGenerator {

    /** The epoch the timestamp bits count from. */
    public static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");
    /** The largest worker id: 10 bits. */
    public static final int MAX_WORKER_ID = 1023;
    private static final int SEQUENCE_BITS = 12;
    private static final int WORKER_BITS = 10;
    private static final long MAX_SEQUENCE = (1L << SEQUENCE_BITS) - 1;

    private final int workerId;
    private final Clock clock;
    private long lastMillis = -1;
    private long sequence;

    /**
     * @param workerId this proxy's id, unique among proxies sharing the data, in 0..1023
     * @param clock    the time source
     */
    public SnowflakeKeyGenerator(int workerId, Clock clock) {
        if (workerId < 0 || workerId > MAX_WORKER_ID) {
            throw new IllegalArgumentException("workerId: " + workerId + " (expected: 0.." + MAX_WORKER_ID + ")");
        }
        this.workerId = workerId;
        this.clock = clock;
    }

    @Override
    public synchronized long nextKey() {
        long now = clock.millis() - EPOCH.toEpochMilli();
        if (now > lastMillis) {
            lastMillis = now;
            sequence = 0;
        } else if (sequence < MAX_SEQUENCE) {
            sequence++;
        } else {
            lastMillis++;
            sequence = 0;
        }
        return lastMillis << (WORKER_BITS + SEQUENCE_BITS) | (long) workerId << SEQUENCE_BITS | sequence;
    }
}
