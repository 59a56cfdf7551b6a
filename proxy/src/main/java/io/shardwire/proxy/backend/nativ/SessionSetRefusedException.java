package io.shardwire.proxy.backend.nativ;

/**
 * A new native connection's server refused one of the session SETs it replays after the login: the read goes to the
 * JDBC path, which replays them too and answers as it does. Says nothing of the server's health.
 */
final class SessionSetRefusedException extends RuntimeException {

    SessionSetRefusedException(String message) {
        super(message);
    }
}
