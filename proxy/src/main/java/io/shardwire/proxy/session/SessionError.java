package io.shardwire.proxy.session;

import io.shardwire.proxy.protocol.constant.MySQLErrorCode;

/**
 * A MySQL error the session answers with, before or instead of asking a backend.
 *
 * @param code     MySQL error number
 * @param sqlState five-character SQLSTATE
 * @param message  text for the client
 */
public record SessionError(int code, String sqlState, String message) {

    /** The error with its documented message template filled in. */
    public static SessionError of(MySQLErrorCode error, Object... args) {
        return new SessionError(error.errorCode(), error.sqlState(), error.message(args));
    }

    /** Sends this error as the response. */
    public void sendTo(Responder responder) throws ClientGoneException {
        responder.error(code, sqlState, message);
    }
}
