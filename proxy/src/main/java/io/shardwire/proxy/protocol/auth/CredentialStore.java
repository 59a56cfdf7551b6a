package io.shardwire.proxy.protocol.auth;

import java.util.Optional;

/**
 * Where {@link AuthenticationHandler} looks up passwords. Implementations must be thread-safe and should not block:
 * they are called on the event loop.
 */
@FunctionalInterface
public interface CredentialStore {

    /**
     * The clear-text password of {@code user}, empty string for a user without password, or empty if there is no
     * such user.
     */
    Optional<String> password(String user);
}
