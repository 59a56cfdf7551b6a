package io.shardwire.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The proxy's listening side.
 *
 * @param host           address the MySQL and HTTP listeners bind to
 * @param port           MySQL protocol port
 * @param httpPort       HTTP port for {@code /health}, {@code /metrics} and the queue API
 * @param dataDir        the proxy's own state directory
 * @param authPlugin     authentication plugin advertised in the handshake
 * @param maxConnections connections accepted at once; the next one gets error 1040
 * @param users          who may connect, with their passwords and schemas
 * @param maxUserConnections connections one user may hold at once, 0 for no limit; the next one gets error 1203
 * @param idleTimeout    how long a client may stay silent between commands before it is disconnected
 *                       (MySQL's {@code wait_timeout})
 * @param tls            TLS for client connections
 * @param maxAllowedPacket the largest packet a client may send, in bytes (MySQL's {@code max_allowed_packet}); a
 *                       larger one gets error 1153 and the connection is closed
 * @param warmAuthCache  whether every configured user may use {@code caching_sha2_password} fast authentication
 *                       from the start (the proxy holds the passwords); if not, as MySQL after a restart, a user's
 *                       first login needs a full authentication (RSA key exchange, or the password over TLS)
 * @param nativeBackend  whether prepared reads on one data node run over the proxy's own MySQL protocol connections
 *                       to the primary, their rows passed through without decoding (else every statement uses the
 *                       JDBC pools)
 * @param ioTransport    the socket I/O of the proxy's Netty channels (clients and native backend connections)
 * @param busyPollMicros how long a client event loop keeps polling its sockets without sleeping once it runs out of
 *                       work, in microseconds; 0 (the default) sleeps at once. Spinning spends CPU to spare the
 *                       wake-up of a sleeping loop at each hop of a query, which at low concurrency is most of the
 *                       latency the proxy adds.
 */
public record ServerConfig(
        String host,
        int port,
        int httpPort,
        Path dataDir,
        AuthPlugin authPlugin,
        int maxConnections,
        List<UserConfig> users,
        int maxUserConnections,
        Duration idleTimeout,
        TlsConfig tls,
        int maxAllowedPacket,
        boolean warmAuthCache,
        boolean nativeBackend,
        IoTransport ioTransport,
        int busyPollMicros) {

    /** MySQL's default {@code wait_timeout}: eight hours. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(8);

    /** The default {@code max_allowed_packet}: 64 MiB, as MySQL 8's. */
    public static final int DEFAULT_MAX_ALLOWED_PACKET = 64 * 1024 * 1024;

    /** MySQL's bounds for {@code max_allowed_packet}: 1 KiB to 1 GiB. */
    public static final int MIN_MAX_ALLOWED_PACKET = 1024;
    public static final int MAX_MAX_ALLOWED_PACKET = 1024 * 1024 * 1024;

    /** The longest {@code busyPollMicros}: a millisecond, past which spinning only burns a core. */
    public static final int MAX_BUSY_POLL_MICROS = 1000;

    public ServerConfig {
        users = List.copyOf(users);
    }

    /** A server without TLS, without a per-user limit and with MySQL's default idle timeout and packet size. */
    public ServerConfig(String host, int port, int httpPort, Path dataDir, AuthPlugin authPlugin, int maxConnections,
                        List<UserConfig> users) {
        this(host, port, httpPort, dataDir, authPlugin, maxConnections, users, 0, DEFAULT_IDLE_TIMEOUT,
                TlsConfig.DISABLED, DEFAULT_MAX_ALLOWED_PACKET, true, true, IoTransport.AUTO, 0);
    }

    /** Socket I/O for the proxy's Netty channels. */
    public enum IoTransport {
        /** io_uring where the kernel allows it, else epoll, else the JDK's selector. */
        AUTO,
        /** Linux io_uring (one system call submits a loop round's reads and writes); refused at start if unavailable. */
        IO_URING,
        /** Linux epoll; refused at start if unavailable. */
        EPOLL,
        /** The JDK's selector, everywhere. */
        NIO
    }

    /** Authentication plugins the proxy speaks. */
    public enum AuthPlugin {
        MYSQL_NATIVE_PASSWORD("mysql_native_password"),
        CACHING_SHA2_PASSWORD("caching_sha2_password");

        private final String wireName;

        AuthPlugin(String wireName) {
            this.wireName = wireName;
        }

        /** The plugin name as it appears in the protocol and in the YAML. */
        public String wireName() {
            return wireName;
        }
    }
}
