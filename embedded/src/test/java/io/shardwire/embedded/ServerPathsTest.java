package io.shardwire.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServerPathsTest {

    @Test
    void everyFileLivesInTheServersOwnDirectory() {
        ServerPaths paths = ServerPaths.of(Path.of("/srv/shardwire"), "g0-replica1");

        assertThat(paths.serverDir()).isEqualTo(Path.of("/srv/shardwire/g0-replica1"));
        assertThat(paths.dataDir()).isEqualTo(Path.of("/srv/shardwire/g0-replica1/data"));
        assertThat(paths.socket()).isEqualTo(Path.of("/srv/shardwire/g0-replica1/mysqld.sock"));
        assertThat(paths.pidFile()).isEqualTo(Path.of("/srv/shardwire/g0-replica1/mysqld.pid"));
        assertThat(paths.initFile()).isEqualTo(Path.of("/srv/shardwire/g0-replica1/init.sql"));
    }

    @Test
    void aSocketPathTooLongForUnixSocketsMovesToAShortStablePathUnderTmp() {
        Path deep = Path.of("/srv/" + "very-long-directory-name/".repeat(5));
        ServerPaths primary = ServerPaths.of(deep, "g0-primary");
        ServerPaths replica = ServerPaths.of(deep, "g0-replica1");

        assertThat(primary.socket().toString()).startsWith("/tmp/shardwire-").endsWith(".sock").hasSizeLessThan(107);
        assertThat(ServerPaths.of(deep, "g0-primary").socket()).isEqualTo(primary.socket());
        assertThat(replica.socket()).isNotEqualTo(primary.socket());
    }
}
