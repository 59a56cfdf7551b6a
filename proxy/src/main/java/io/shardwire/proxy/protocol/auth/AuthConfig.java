package io.shardwire.proxy.protocol.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@link AuthenticationHandler} needs that is the same for every connection of a server. Build it once
 * at start-up and share it.
 *
 * @param serverVersion version string sent in the greeting; connectors parse it to choose features, so it should
 *     look like a MySQL version, e.g. "8.0.36-shardwire"
 * @param defaultAuthPlugin the plugin announced in the greeting and switched to when the client names another
 * @param credentialStore where passwords come from
 * @param cachingSha2Keys the RSA key pair for {@code caching_sha2_password} full authentication
 * @param authCache the users allowed {@code caching_sha2_password} fast authentication
 * @param sessionStarter called when a client has authenticated
 * @param authTimeout how long a connection may take to authenticate before it is closed
 * @param transport whether TLS is offered, and whether it is required
 */
public record AuthConfig(String serverVersion, MySQLAuthPlugin defaultAuthPlugin, CredentialStore credentialStore,
        CachingSha2Keys cachingSha2Keys, AuthCache authCache, SessionStarter sessionStarter, Duration authTimeout,
        TransportSecurity transport) {

    public AuthConfig {
        Objects.requireNonNull(serverVersion, "serverVersion");
        Objects.requireNonNull(defaultAuthPlugin, "defaultAuthPlugin");
        Objects.requireNonNull(credentialStore, "credentialStore");
        Objects.requireNonNull(cachingSha2Keys, "cachingSha2Keys");
        Objects.requireNonNull(authCache, "authCache");
        Objects.requireNonNull(sessionStarter, "sessionStarter");
        Objects.requireNonNull(authTimeout, "authTimeout");
        Objects.requireNonNull(transport, "transport");
        if (authTimeout.isNegative() || authTimeout.isZero()) {
            throw new IllegalArgumentException("authTimeout: " + authTimeout + " (expected: > 0)");
        }
    }
}
