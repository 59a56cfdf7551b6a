package io.shardwire.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The {@code --init-file} that creates the cluster's accounts on every server, at every start.
 *
 * <p>Why an init file: with grant tables enabled, mariadb-install-db creates only unix_socket accounts, and
 * logging in over the socket from Java would need JNA. mariadbd runs the init file itself, with all privileges,
 * before it reports ready. Each statement is idempotent ({@code CREATE USER IF NOT EXISTS} then
 * {@code ALTER USER}, so changed credentials take effect on the next start), and the file first turns the binlog
 * off for its session: accounts are made per server and never replicated, so replicas' binlogs hold no GTIDs of
 * their own that a later failover would have to reconcile.
 *
 * <p>mariadbd reads an init file one statement per line, so every statement is written on one line.
 */
final class AccountsInitFile {

    /** The account replicas log in to their primary with. */
    static final String REPLICATION_USER = "repl";

    private AccountsInitFile() {
    }

    /** Writes the file atomically, readable by its owner only (it holds passwords). */
    static void write(Path file, String user, String password, String replicationPassword) throws IOException {
        String proxyAtLoopback = account(user, LoopbackPorts.HOST);
        String proxyAtLocalhost = account(user, "localhost");
        String topology = account(ClusterSpec.topologyUser(user), LoopbackPorts.HOST);
        String replication = account(REPLICATION_USER, LoopbackPorts.HOST);
        List<String> statements = List.of(
                "SET SESSION sql_log_bin=0",
                "CREATE USER IF NOT EXISTS " + proxyAtLoopback + " IDENTIFIED BY " + literal(password),
                "ALTER USER " + proxyAtLoopback + " IDENTIFIED BY " + literal(password),
                "GRANT ALL PRIVILEGES ON *.* TO " + proxyAtLoopback + " WITH GRANT OPTION",
                // Without it, read_only=ON stops this account's writes: that is how a failed-over primary is fenced.
                "REVOKE READ_ONLY ADMIN ON *.* FROM " + proxyAtLoopback,
                "CREATE USER IF NOT EXISTS " + proxyAtLocalhost + " IDENTIFIED BY " + literal(password),
                "ALTER USER " + proxyAtLocalhost + " IDENTIFIED BY " + literal(password),
                "GRANT ALL PRIVILEGES ON *.* TO " + proxyAtLocalhost + " WITH GRANT OPTION",
                "REVOKE READ_ONLY ADMIN ON *.* FROM " + proxyAtLocalhost,
                "CREATE USER IF NOT EXISTS " + topology + " IDENTIFIED BY " + literal(password),
                "ALTER USER " + topology + " IDENTIFIED BY " + literal(password),
                "GRANT ALL PRIVILEGES ON *.* TO " + topology,
                "CREATE USER IF NOT EXISTS " + replication + " IDENTIFIED BY " + literal(replicationPassword),
                "ALTER USER " + replication + " IDENTIFIED BY " + literal(replicationPassword),
                "GRANT REPLICATION SLAVE, REPLICATION SLAVE ADMIN, BINLOG MONITOR ON *.* TO " + replication);
        StringBuilder sql = new StringBuilder();
        for (String statement : statements) {
            sql.append(statement).append(";\n");
        }
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, sql, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code 'user'@'host'}. */
    static String account(String user, String host) {
        return literal(user) + "@" + literal(host);
    }

    /** A single-quoted SQL string literal, safe for any text (the server runs without NO_BACKSLASH_ESCAPES). */
    static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
                .replace("\0", "\\0") + "'";
    }
}
