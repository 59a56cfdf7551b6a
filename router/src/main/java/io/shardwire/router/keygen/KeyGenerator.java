package io.shardwire.router.keygen;

/** Generates keys for key columns an INSERT leaves out. Implementations are thread-safe. */
public interface KeyGenerator {

    /** A key never returned before by this generator, nor by another with a different worker id. */
    long nextKey();
}
