package io.shardwire.proxy.backend.nativ;

import java.util.Locale;

/**
 * Why a prepared read the native path would have run went to the JDBC path instead: the {@code reason} of
 * {@code shardwire_native_fallbacks_total}. The read is answered either way; a rising count says the native path is
 * not doing its part, and which reason says why.
 */
public enum NativeFallback {
    /** The group's primary was DOWN by the health monitor. */
    PRIMARY_DOWN,
    /** A failover of the group was running. */
    FAILOVER_RUNNING,
    /** The data source's server asks for an authentication plugin the native client does not speak. */
    UNSUPPORTED_AUTH,
    /** No native connection could be opened (connect, handshake or login failed). */
    CONNECT_FAILED,
    /** A new native connection's server refused one of the session SETs it replays after the login. */
    SESSION_SET_REFUSED,
    /** The backend refused to prepare the statement (the JDBC path answers its error). */
    PREPARE_FAILED,
    /** The backend's prepared statement takes another number of parameters than the client's. */
    PARAMETER_MISMATCH,
    /** The backend connection was lost before the first row (nothing reached the client). */
    LOST_BEFORE_ANSWER;

    /** The reason of a read whose native connection could not be opened, by why it could not. */
    public static NativeFallback ofOpenFailure(Throwable cause) {
        return switch (cause) {
            case UnsupportedAuthException unsupported -> UNSUPPORTED_AUTH;
            case SessionSetRefusedException refused -> SESSION_SET_REFUSED;
            default -> CONNECT_FAILED;
        };
    }

    /** The metric tag: the name in lower case. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
