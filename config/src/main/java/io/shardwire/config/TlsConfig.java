package io.shardwire.config;

import java.nio.file.Path;

/**
 * TLS for client connections.
 *
 * @param enabled                whether the proxy offers TLS ({@code CLIENT_SSL}) to clients
 * @param certificate            PEM certificate chain, or null for a self-signed certificate made at start
 * @param privateKey             PEM private key of {@code certificate}, or null with it
 * @param requireSecureTransport whether logins without TLS are refused (MySQL's {@code require_secure_transport})
 */
public record TlsConfig(boolean enabled, Path certificate, Path privateKey, boolean requireSecureTransport) {

    /** No TLS: clients connect in plain text. */
    public static final TlsConfig DISABLED = new TlsConfig(false, null, null, false);

    public TlsConfig {
        if ((certificate == null) != (privateKey == null)) {
            throw new IllegalArgumentException("certificate and privateKey go together");
        }
        if (requireSecureTransport && !enabled) {
            throw new IllegalArgumentException("requireSecureTransport needs TLS enabled");
        }
    }

    /** Whether the proxy makes its own self-signed certificate at start. */
    public boolean selfSigned() {
        return enabled && certificate == null;
    }
}
