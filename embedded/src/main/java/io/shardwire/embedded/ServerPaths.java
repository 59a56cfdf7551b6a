package io.shardwire.embedded;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The files of one server, all inside its own directory {@code <cluster dataDir>/<server name>}, so that a
 * server is one folder to inspect, copy or delete.
 *
 * @param serverDir       the server's own directory
 * @param dataDir         MariaDB's {@code --datadir} (tables, binlogs, relay logs, master.info)
 * @param tmpDir          MariaDB's {@code --tmpdir}
 * @param socket          the unix socket; {@code <serverDir>/mysqld.sock}, or a short path under /tmp when that
 *                        would be too long for a unix socket address
 * @param pidFile         written by mariadbd at start, removed at clean shutdown; left behind by a kill -9
 * @param initFile        SQL that mariadbd runs at every start ({@code --init-file}); creates the accounts
 * @param logFile         everything mariadbd and mariadb-install-db printed, appended across runs
 * @param installedMarker exists once mariadb-install-db completed for {@code dataDir}
 */
record ServerPaths(Path serverDir, Path dataDir, Path tmpDir, Path socket, Path pidFile, Path initFile,
                   Path logFile, Path installedMarker) {

    /** Longest unix socket path mariadbd accepts ({@code sun_path} is 108 bytes with the terminating NUL). */
    private static final int MAX_SOCKET_PATH = 107;

    static ServerPaths of(Path clusterDataDir, String serverName) {
        Path serverDir = clusterDataDir.resolve(serverName);
        return new ServerPaths(serverDir, serverDir.resolve("data"), serverDir.resolve("tmp"),
                socketFor(serverDir), serverDir.resolve("mysqld.pid"), serverDir.resolve("init.sql"),
                serverDir.resolve("mariadbd.log"), serverDir.resolve(".installed"));
    }

    private static Path socketFor(Path serverDir) {
        Path preferred = serverDir.resolve("mysqld.sock");
        if (preferred.toString().getBytes(StandardCharsets.UTF_8).length < MAX_SOCKET_PATH) {
            return preferred;
        }
        // Named by the server dir, so the same server gets the same socket on every run and no two servers share one.
        return Path.of("/tmp", "shardwire-" + shortHash(serverDir.toString()) + ".sock");
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
