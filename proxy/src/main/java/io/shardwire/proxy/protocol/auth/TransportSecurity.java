package io.shardwire.proxy.protocol.auth;

/** What the server offers and demands of the transport during the connection phase. */
public enum TransportSecurity {
    /** Plain text only; {@code CLIENT_SSL} is not offered and an SSLRequest is a bad handshake. */
    PLAIN,
    /** TLS is offered ({@code CLIENT_SSL}); clients may log in with or without it. */
    TLS_OFFERED,
    /** TLS is offered and logins without it are refused with error 3159, like {@code require_secure_transport=ON}. */
    TLS_REQUIRED;

    /** Whether the greeting advertises {@code CLIENT_SSL}. */
    public boolean offersTls() {
        return this != PLAIN;
    }
}
