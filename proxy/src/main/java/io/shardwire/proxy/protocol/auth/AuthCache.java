package io.shardwire.proxy.protocol.auth;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The users for whom {@code caching_sha2_password} fast authentication is allowed: those who have passed a full
 * authentication since the server started, plus any {@link #warm pre-filled} ones. This mirrors MySQL, which
 * demands one full authentication (RSA-encrypted, or clear text over TLS) per account before it accepts the
 * scramble alone; clients are built around that sequence.
 *
 * <p>Only names are kept. Fast authentication still checks the scramble against the user's current password, so a
 * password change needs no eviction. Thread-safe; one instance per server.
 */
public final class AuthCache {

    private final Set<String> users = ConcurrentHashMap.newKeySet();

    /** Allows fast authentication for {@code user} from now on. */
    public void warm(String user) {
        users.add(Objects.requireNonNull(user, "user"));
    }

    /** Whether {@code user} may use fast authentication. */
    public boolean contains(String user) {
        return users.contains(user);
    }
}
