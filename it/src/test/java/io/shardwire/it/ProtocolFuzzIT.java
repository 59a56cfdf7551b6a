package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A seeded protocol fuzzer: malformed, truncated, oversized and out-of-order packets, before and after login. Each
 * connection must get an answer (an error, or the answer to a PING sent after the bad packet) or be closed, never
 * hang; a healthy session keeps working throughout; afterwards no backend connection is still held.
 *
 * <p>The seed is {@code -Dfuzz.seed} (default fixed), printed in every failure so a run can be replayed.
 */
class ProtocolFuzzIT {

    private static final int COM_QUERY = 0x03;
    private static final int COM_PING = 0x0e;
    private static final int COM_STMT_PREPARE = 0x16;
    private static final int COM_STMT_EXECUTE = 0x17;
    private static final int CASES = 240;
    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.start("fuzz", 1);
        try (Connection c = fixture.app()) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS fuzz_t (id INT PRIMARY KEY, v VARCHAR(20))");
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void badClientsGetErrorsOrAreClosedWhileAHealthySessionKeepsWorkingAndNoBackendConnectionLeaks()
            throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261126L);
        Random random = new Random(seed);
        AtomicBoolean fuzzing = new AtomicBoolean(true);
        AtomicInteger healthyStatements = new AtomicInteger();
        CompletableFuture<Void> healthy = CompletableFuture.runAsync(() -> {
            try (Connection c = fixture.connect("app", "app", "shop", "useServerPrepStmts", "true");
                 PreparedStatement ps = c.prepareStatement("SELECT ? + 1")) {
                for (int i = 0; fuzzing.get(); i++) {
                    ps.setInt(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(i + 1);
                    }
                    try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM fuzz_t")) {
                        assertThat(rs.next()).isTrue();
                    }
                    healthyStatements.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException("the healthy session failed", e);
            }
        });

        List<String> outcomes = new ArrayList<>();
        oversizedPacketBeforeLogin(seed);
        for (int i = 0; i < CASES; i++) {
            int kind = random.nextInt(12);
            String what = "seed " + seed + ", case " + i + ", kind " + kind;
            outcomes.add(runCase(kind, random, what));
        }
        fuzzing.set(false);
        healthy.get();

        assertThat(healthyStatements.get()).as("statements of the healthy session").isPositive();
        assertThat(outcomes).contains("answered", "closed");
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(fixture.proxy.activeBackendConnections())
                        .as("backend connections still held after every client left (seed %d)", seed).isZero());
        try (Connection c = fixture.app(); ResultSet rs = c.createStatement().executeQuery("SELECT 42")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    /** Runs one case and says how the proxy reacted: "answered" or "closed". Hanging fails the test. */
    private static String runCase(int kind, Random random, String what) throws IOException {
        int port = fixture.proxy.port();
        try (RawMySQLClient client = kind < 4 ? RawMySQLClient.connect(port)
                : RawMySQLClient.login(port, "app", "app", "shop")) {
            switch (kind) {
                // Before login: noise, a truncated handshake response, a command, an SSLRequest and no TLS.
                case 0 -> client.sendRaw(frame(1, randomBytes(random, 1 + random.nextInt(200))));
                case 1 -> {
                    byte[] response = handshakeResponse();
                    client.sendRaw(frame(1, java.util.Arrays.copyOf(response, random.nextInt(response.length))));
                }
                case 2 -> client.sendRaw(frame(0, command(COM_QUERY, "SELECT 1".getBytes(StandardCharsets.UTF_8))));
                case 3 -> {
                    byte[] sslRequest = java.util.Arrays.copyOf(handshakeResponse(), 32);
                    sslRequest[1] |= 0x08;
                    client.sendRaw(frame(1, sslRequest));
                    client.sendRaw(randomBytes(random, 1 + random.nextInt(300)));
                }
                // After login: any command byte with noise.
                case 4, 5 -> client.sendRaw(frame(random.nextInt(4),
                        command(random.nextInt(0x30), randomBytes(random, random.nextInt(64)))));
                // A prepared statement executed with a garbled parameter block.
                case 6 -> {
                    client.send(COM_STMT_PREPARE, "SELECT ?, ?".getBytes(StandardCharsets.UTF_8));
                    List<RawMySQLClient.Packet> prepared = client.readUntilEnd();
                    byte[] ok = prepared.getFirst().payload();
                    byte[] execute = new byte[4 + 1 + 4 + random.nextInt(24)];
                    System.arraycopy(ok, 1, execute, 0, 4);
                    execute[4] = (byte) random.nextInt(8);
                    execute[5] = 1;
                    byte[] noise = randomBytes(random, execute.length - 9);
                    System.arraycopy(noise, 0, execute, 9, noise.length);
                    client.send(COM_STMT_EXECUTE, execute);
                }
                // Invalid UTF-8 and an unterminated string literal.
                case 7 -> client.send(COM_QUERY, new byte[] {'S', 'E', 'L', 'E', 'C', 'T', ' ', (byte) 0xC3, 0x28});
                case 8 -> client.send(COM_QUERY, "SELECT 'abc".getBytes(StandardCharsets.UTF_8));
                // A burst of pipelined noise commands.
                case 9 -> {
                    for (int n = 0; n < 20; n++) {
                        client.send(random.nextInt(0x20), randomBytes(random, random.nextInt(16)));
                    }
                }
                // A truncated packet: the header promises more than comes, then the client stops sending.
                case 10 -> {
                    byte[] packet = frame(0, command(COM_QUERY, "SELECT 1".getBytes(StandardCharsets.UTF_8)));
                    packet[0] = (byte) (packet[0] + 1 + random.nextInt(100));
                    client.sendRaw(packet);
                    client.shutdownOutput();
                    return awaitAnswerOrClose(client, what);
                }
                // A client that leaves mid-statement or mid-transaction.
                default -> {
                    client.send(COM_QUERY, (random.nextBoolean() ? "SELECT SLEEP(2)" : "BEGIN")
                            .getBytes(StandardCharsets.UTF_8));
                    if (random.nextBoolean()) {
                        client.readUntilEnd();
                        client.send(COM_QUERY, ("INSERT INTO fuzz_t VALUES (" + random.nextInt(1_000_000)
                                + ", 'x') ON DUPLICATE KEY UPDATE v = 'y'").getBytes(StandardCharsets.UTF_8));
                    }
                    return "closed";
                }
            }
            if (kind >= 4) {
                client.send(COM_PING, new byte[0]);
            }
            return awaitAnswerOrClose(client, what);
        }
    }

    /** Reads until an OK or ERR (the answer, or the PING's) or the end of the stream; a hang times out the read. */
    private static String awaitAnswerOrClose(RawMySQLClient client, String what) throws IOException {
        try {
            while (true) {
                RawMySQLClient.Packet packet = client.read();
                if (packet.isOk() || packet.isErr()) {
                    return "answered";
                }
            }
        } catch (EOFException | SocketException e) {
            return "closed";
        } catch (IOException e) {
            throw new IOException(what + ": no answer and not closed: " + e, e);
        }
    }

    /** A packet of 64 MB and more (over max_allowed_packet) before login: ERR 1153, then the close. */
    private static void oversizedPacketBeforeLogin(long seed) throws IOException {
        try (RawMySQLClient client = RawMySQLClient.connect(fixture.proxy.port())) {
            byte[] piece = new byte[0xFFFFFF];
            byte[] header = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0};
            try {
                for (int i = 0; i < 5; i++) {
                    header[3] = (byte) (1 + i);
                    client.sendRaw(header);
                    client.sendRaw(piece);
                }
            } catch (SocketException closedEarly) {
                // The proxy may close before everything is sent; the ERR is already on its way.
            }
            RawMySQLClient.Packet packet = client.read();
            assertThat(packet.isErr()).as("seed %d: answer to an oversized packet", seed).isTrue();
            assertThat(packet.errorCode()).isEqualTo(1153);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    /** A well-formed HandshakeResponse41 for app (password not checked: it is cut or flagged before that). */
    private static byte[] handshakeResponse() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RawMySQLClient.writeInt4(out, 0x1 | 0x200 | 0x8000 | 0x80000);
        RawMySQLClient.writeInt4(out, 1 << 24);
        out.write(45);
        out.writeBytes(new byte[23]);
        out.writeBytes("app\0".getBytes(StandardCharsets.UTF_8));
        out.write(20);
        out.writeBytes(new byte[20]);
        out.writeBytes("mysql_native_password\0".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] command(int code, byte[] body) {
        byte[] payload = new byte[body.length + 1];
        payload[0] = (byte) code;
        System.arraycopy(body, 0, payload, 1, body.length);
        return payload;
    }

    private static byte[] frame(int sequenceId, byte[] payload) {
        byte[] packet = new byte[payload.length + 4];
        packet[0] = (byte) payload.length;
        packet[1] = (byte) (payload.length >> 8);
        packet[2] = (byte) (payload.length >> 16);
        packet[3] = (byte) sequenceId;
        System.arraycopy(payload, 0, packet, 4, payload.length);
        return packet;
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
