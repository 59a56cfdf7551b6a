package io.shardwire.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code mariadb} command-line client (Debian's mariadb-client) as a subprocess, in batch mode. */
final class MariaDbCli {

    /** What the client printed (also as the bytes it wrote) and how it exited. */
    record Result(int exitCode, String stdout, String stderr, byte[] stdoutBytes) {
    }

    private MariaDbCli() {
    }

    /**
     * Runs {@code sql} (statements separated by semicolons; the client sends them one by one).
     *
     * @param schema the schema to connect to, or null for none
     */
    static Result run(int port, String user, String password, String schema, String sql) throws Exception {
        return run(List.of("--skip-ssl"), port, user, password, schema, sql);
    }

    /** As {@link #run(int, String, String, String, String)}, logging in with this character set. */
    static Result runWithCharset(String charset, int port, String user, String password, String schema, String sql)
            throws Exception {
        return run(List.of("--skip-ssl", "--default-character-set=" + charset), port, user, password, schema, sql);
    }

    /** As {@link #run(int, String, String, String, String)}, over TLS ({@code --ssl}). */
    static Result runOverTls(int port, String user, String password, String schema, String sql) throws Exception {
        return run(List.of("--ssl"), port, user, password, schema, sql);
    }

    private static Result run(List<String> options, int port, String user, String password, String schema, String sql)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("mariadb", "--no-defaults"));
        command.addAll(options);
        command.addAll(List.of("-h127.0.0.1", "-P" + port, "-u" + user, "-p" + password, "--batch",
                "--skip-column-names"));
        if (schema != null) {
            command.add(schema);
        }
        command.add("-e");
        command.add(sql);
        Process process = new ProcessBuilder(command).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mariadb CLI did not finish in 60 s: " + command);
        }
        byte[] stdout = process.getInputStream().readAllBytes();
        return new Result(process.exitValue(), new String(stdout, StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8), stdout);
    }
}
