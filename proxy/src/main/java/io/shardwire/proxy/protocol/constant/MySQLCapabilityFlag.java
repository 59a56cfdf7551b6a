package io.shardwire.proxy.protocol.constant;

/**
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__capabilities__flags.html">Capability
 * flags</a> exchanged in the handshake.
 *
 * <p>On the wire the flags are one 32-bit mask; this enum names the bits and {@link #of}/{@link #isSet} convert
 * between the two. The capabilities in force on a connection are the client's mask ANDed with the server's.
 */
public enum MySQLCapabilityFlag {

    CLIENT_LONG_PASSWORD(1),
    CLIENT_FOUND_ROWS(1 << 1),
    CLIENT_LONG_FLAG(1 << 2),
    CLIENT_CONNECT_WITH_DB(1 << 3),
    CLIENT_NO_SCHEMA(1 << 4),
    CLIENT_COMPRESS(1 << 5),
    CLIENT_ODBC(1 << 6),
    CLIENT_LOCAL_FILES(1 << 7),
    CLIENT_IGNORE_SPACE(1 << 8),
    CLIENT_PROTOCOL_41(1 << 9),
    CLIENT_INTERACTIVE(1 << 10),
    CLIENT_SSL(1 << 11),
    CLIENT_IGNORE_SIGPIPE(1 << 12),
    CLIENT_TRANSACTIONS(1 << 13),
    CLIENT_RESERVED(1 << 14),
    CLIENT_SECURE_CONNECTION(1 << 15),
    CLIENT_MULTI_STATEMENTS(1 << 16),
    CLIENT_MULTI_RESULTS(1 << 17),
    CLIENT_PS_MULTI_RESULTS(1 << 18),
    CLIENT_PLUGIN_AUTH(1 << 19),
    CLIENT_CONNECT_ATTRS(1 << 20),
    CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA(1 << 21),
    CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS(1 << 22),
    CLIENT_SESSION_TRACK(1 << 23),
    CLIENT_DEPRECATE_EOF(1 << 24),
    CLIENT_OPTIONAL_RESULTSET_METADATA(1 << 25),
    CLIENT_ZSTD_COMPRESSION_ALGORITHM(1 << 26),
    CLIENT_QUERY_ATTRIBUTES(1 << 27),
    MULTI_FACTOR_AUTHENTICATION(1 << 28),
    CLIENT_CAPABILITY_EXTENSION(1 << 29),
    CLIENT_SSL_VERIFY_SERVER_CERT(1 << 30),
    CLIENT_REMEMBER_OPTIONS(1 << 31);

    private final int value;

    MySQLCapabilityFlag(int value) {
        this.value = value;
    }

    /** This flag's bit. */
    public int value() {
        return value;
    }

    /** Whether this flag's bit is set in {@code capabilities}. */
    public boolean isSet(int capabilities) {
        return (capabilities & value) != 0;
    }

    /** The mask with exactly the given flags set. */
    public static int of(MySQLCapabilityFlag... flags) {
        int capabilities = 0;
        for (MySQLCapabilityFlag flag : flags) {
            capabilities |= flag.value;
        }
        return capabilities;
    }
}
