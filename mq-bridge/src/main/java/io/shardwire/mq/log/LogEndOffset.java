package io.shardwire.mq.log;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The offset after the last record readers may see, and the place where long-polling readers wait for it to move.
 *
 * <p><b>Invariant:</b> never decreases. <b>Thread-safety:</b> any threads; readers of the value never block, and
 * waiting readers sleep on a condition (no polling) until an advance wakes them or their wait runs out.
 */
final class LogEndOffset {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private volatile long value;

    LogEndOffset(long initial) {
        this.value = initial;
    }

    long get() {
        return value;
    }

    /**
     * Moves the offset forward, waking waiting readers; a smaller offset is ignored.
     *
     * @param offset the new log end offset
     */
    void advanceTo(long offset) {
        if (offset <= value) {
            return;
        }
        lock.lock();
        try {
            if (offset > value) {
                value = offset;
                advanced.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the log end offset passes an offset, that is until a record at that offset is readable.
     *
     * @param offset  the offset a reader wants to read
     * @param maxWait how long to wait at most
     * @return whether the offset is readable
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    boolean awaitBeyond(long offset, Duration maxWait) throws InterruptedException {
        if (value > offset) {
            return true;
        }
        long nanos = maxWait.toNanos();
        lock.lockInterruptibly();
        try {
            while (value <= offset) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = advanced.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
