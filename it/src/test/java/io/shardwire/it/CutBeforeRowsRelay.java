package io.shardwire.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of a real {@code mariadbd} (plain MySQL protocol, no TLS or compression) that, once armed,
 * lets the next COM_QUERY whose text contains a marker, or the next COM_STMT_EXECUTE of a statement prepared with it
 * on the same connection, get its result's column definitions and then closes the connection before the first row:
 * a backend connection lost between the metadata and the rows, which a {@code kill -9} produces only by chance.
 */
final class CutBeforeRowsRelay implements AutoCloseable {

    private static final int COM_QUERY = 0x03;
    private static final int COM_STMT_PREPARE = 0x16;
    private static final int COM_STMT_EXECUTE = 0x17;

    private final ServerSocket listener;
    private final String host;
    private final int port;
    private final String marker;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicInteger cuts = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private CutBeforeRowsRelay(String host, int port, String marker) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.host = host;
        this.port = port;
        this.marker = marker;
        Thread.ofVirtual().name("cut-relay-accept").start(this::accept);
    }

    /** A relay to {@code host:port} that cuts queries whose text contains {@code marker}. */
    static CutBeforeRowsRelay to(String host, int port, String marker) throws IOException {
        return new CutBeforeRowsRelay(host, port, marker);
    }

    /** The port the relay listens on (loopback). */
    int port() {
        return listener.getLocalPort();
    }

    /** The next query or prepared execute with the marker loses its connection after its column definitions. */
    void arm() {
        armed.set(true);
    }

    /** How many connections were cut. */
    int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket backend = new Socket(host, port);
                sockets.add(client);
                sockets.add(backend);
                AtomicBoolean cutNext = new AtomicBoolean();
                Thread.ofVirtual().start(() -> toBackend(client, backend, cutNext));
                Thread.ofVirtual().start(() -> toClient(backend, client, cutNext));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void toBackend(Socket client, Socket backend, AtomicBoolean cutNext) {
        try (InputStream in = client.getInputStream(); OutputStream out = backend.getOutputStream()) {
            byte[] packet;
            boolean markedPrepared = false; // the connection's last prepare had the marker
            while ((packet = readPacket(in)) != null) {
                int command = packet.length > 4 ? packet[4] & 0xFF : -1;
                boolean marked = (command == COM_QUERY || command == COM_STMT_PREPARE)
                        && new String(packet, 5, packet.length - 5, StandardCharsets.UTF_8).contains(marker);
                if (command == COM_STMT_PREPARE) {
                    markedPrepared = marked;
                }
                if ((command == COM_QUERY && marked || command == COM_STMT_EXECUTE && markedPrepared)
                        && armed.compareAndSet(true, false)) {
                    cutNext.set(true);
                }
                out.write(packet);
                out.flush();
            }
        } catch (IOException e) {
            // either side closed: the other thread ends too
        } finally {
            closeQuietly(client, backend);
        }
    }

    /** Forwards the backend's packets; for a cut query only the column count and definitions (and their EOF). */
    private void toClient(Socket backend, Socket client, AtomicBoolean cutNext) {
        try (InputStream in = backend.getInputStream(); OutputStream out = client.getOutputStream()) {
            byte[] packet;
            int metadataLeft = -1; // packets of the cut result's metadata still to forward, -1 when not cutting
            while ((packet = readPacket(in)) != null) {
                if (metadataLeft == 0) {
                    boolean eof = (packet[4] & 0xFF) == 0xFE && packet.length - 4 < 9;
                    if (eof) {
                        out.write(packet);
                        out.flush();
                    }
                    cuts.incrementAndGet();
                    return;
                }
                if (metadataLeft > 0) {
                    metadataLeft--;
                } else if (cutNext.getAndSet(false)) {
                    metadataLeft = packet[4] & 0xFF; // the column count (a result of under 251 columns)
                }
                out.write(packet);
                out.flush();
            }
        } catch (IOException e) {
            // either side closed
        } finally {
            closeQuietly(client, backend);
        }
    }

    /** One packet with its 4-byte header, or null at the end of the stream. */
    private static byte[] readPacket(InputStream in) throws IOException {
        byte[] header = in.readNBytes(4);
        if (header.length < 4) {
            return null;
        }
        int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        byte[] packet = new byte[4 + length];
        System.arraycopy(header, 0, packet, 0, 4);
        if (in.readNBytes(packet, 4, length) < length) {
            return null;
        }
        return packet;
    }

    private static void closeQuietly(Socket... toClose) {
        for (Socket socket : toClose) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(CutBeforeRowsRelay::closeQuietly);
    }
}
