package io.shardwire.proxy.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.config.ConfigLoader;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.proxy.topology.Topology;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor's checks against real sockets: a server that accepts connections but never answers (as a server too
 * loaded to greet within the timeout) is DOWN only after {@code downAfterFailedChecks} rounds; a port nothing listens
 * on is DOWN after one; a check that {@code close} cuts short is no failed check.
 */
class HealthMonitorTest {

    @TempDir
    Path dataDir;

    @Test
    void aServerThatDoesNotAnswerIsDownAfterTheConfiguredFailedChecks() throws Exception {
        // Connections complete in the kernel's backlog; no greeting ever comes, so each check times out.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             HealthMonitor monitor = started(silent.getLocalPort())) {
            DataSourceHealth first = afterFirstRound(monitor);
            assertThat(first.state()).isEqualTo(HealthState.UNKNOWN);
            assertThat(first.consecutiveFailures()).isEqualTo(1);
            assertThat(first.lastError()).isPresent();

            monitor.round();
            assertThat(monitor.primaryHealth("g0").state()).isEqualTo(HealthState.UNKNOWN);
            monitor.round();
            assertThat(monitor.primaryHealth("g0").state()).isEqualTo(HealthState.DOWN);
            assertThat(monitor.primaryHealth("g0").consecutiveFailures()).isEqualTo(3);
        }
    }

    @Test
    void aPortThatRefusesConnectionsIsDownAfterOneCheck() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (HealthMonitor monitor = started(closedPort)) {
            DataSourceHealth first = afterFirstRound(monitor);
            assertThat(first.state()).isEqualTo(HealthState.DOWN);
            assertThat(first.consecutiveFailures()).isEqualTo(1);
        }
    }

    @Test
    void aCheckCutShortByCloseIsNotAFailedCheck() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            HealthMonitor monitor = started(silent.getLocalPort(), 600_000);
            Thread round = Thread.ofPlatform().start(monitor::round);
            // Two checks wait for a greeting now: the round the monitor runs at its start and this one. Their sockets
            // stay referenced until the monitor is closed: one collected as garbage would be closed by its cleaner,
            // and that check would end as a failed one before the close.
            try (Socket first = silent.accept(); Socket second = silent.accept()) {
                monitor.close();
                round.join();
            }
            assertThat(monitor.primaryHealth("g0").consecutiveFailures()).isZero();
            assertThat(monitor.primaryHealth("g0").lastError()).isEmpty();
        }
    }

    /** A monitor of one group whose primary is at this port; rounds after the first run only when the test asks. */
    private HealthMonitor started(int primaryPort) throws Exception {
        return started(primaryPort, 200);
    }

    /** As {@link #started(int)}, each check waiting up to {@code timeoutMs} for the server. */
    private HealthMonitor started(int primaryPort, int timeoutMs) throws Exception {
        ShardwireConfig config = ConfigLoader.parse("""
                server:
                  dataDir: '%s'
                  users: [{name: app, password: app}]
                shardGroups:
                  - name: g0
                    primary: {port: %d, user: u}
                schemas:
                  - {name: shop, defaultShardGroup: g0}
                monitoring: {heartbeatIntervalMs: 600000, heartbeatTimeoutMs: %d, downAfterFailedChecks: 3}
                """.formatted(dataDir, primaryPort, timeoutMs), "s.yaml");
        return HealthMonitor.start(config, Topology.load(config), Clock.systemUTC());
    }

    /** The primary's health once the round the monitor runs at its start has ended. */
    private static DataSourceHealth afterFirstRound(HealthMonitor monitor) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (monitor.primaryHealth("g0").lastCheck().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return monitor.primaryHealth("g0");
    }
}
