package io.shardwire.proxy.live;

import io.shardwire.config.ShardwireConfig;
import io.shardwire.router.keygen.KeyGenerator;
import io.shardwire.router.keygen.SnowflakeKeyGenerator;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The proxy's current {@link ActiveConfig}, replaced whole and atomically: a reader sees the old configuration or
 * the new one, never a mix. Thread-safe.
 */
public final class LiveConfig {

    private final AtomicReference<ActiveConfig> current;
    private final KeyGenerator keys;
    private final List<Consumer<ShardwireConfig>> listeners = new CopyOnWriteArrayList<>();

    /** Starts with {@code initial}; its worker id keys every later configuration too (a reload cannot change it). */
    public LiveConfig(ShardwireConfig initial) {
        this.keys = new SnowflakeKeyGenerator(initial.router().workerId(), Clock.systemUTC());
        this.current = new AtomicReference<>(ActiveConfig.of(initial, keys));
    }

    /** The configuration in force now. */
    public ActiveConfig current() {
        return current.get();
    }

    /** Shorthand for {@code current().config()}. */
    public ShardwireConfig config() {
        return current.get().config();
    }

    /** Derives everything from {@code next} first, then puts it in force at once and tells the listeners. */
    public void replace(ShardwireConfig next) {
        current.set(ActiveConfig.of(next, keys));
        listeners.forEach(listener -> listener.accept(next));
    }

    /** Calls {@code listener} with every configuration put in force from now on. */
    public void onReplace(Consumer<ShardwireConfig> listener) {
        listeners.add(listener);
    }
}
