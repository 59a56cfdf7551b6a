package io.shardwire.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** TCP ports on 127.0.0.1, where every embedded server listens ({@code --bind-address=127.0.0.1}). */
final class LoopbackPorts {

    static final String HOST = "127.0.0.1";

    private LoopbackPorts() {
    }

    /**
     * {@code count} ports that were free a moment ago, as the kernel hands them out. All are held open together
     * while choosing, so they are distinct; another process may still take one before mariadbd binds it, which
     * {@link #requireFree} then reports.
     */
    static List<Integer> pickFree(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                held.add(socket);
                ports.add(socket.getLocalPort());
            }
            return ports;
        } catch (IOException e) {
            throw new EmbeddedClusterException("ports on " + HOST, "could not pick " + count + " free ones: "
                    + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a listening socket we just opened does not fail in practice; nothing to undo
                }
            }
        }
    }

    /**
     * Fails with a message naming the port if something listens on it. Checked before starting mariadbd, whose
     * own bind failure would only show up in its log.
     */
    static void requireFree(int port, String server) {
        try (ServerSocket socket = new ServerSocket()) {
            // Like mariadbd: connections of an earlier run lingering in TIME_WAIT must not count as "in use".
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port), 1);
        } catch (IOException e) {
            throw new EmbeddedClusterException(server, "port " + port + " on " + HOST
                    + " is already in use by another process (" + e.getMessage() + "); stop that process, or choose "
                    + "other ports with ClusterSpec.withFirstPort (0 picks free ones)", e);
        }
    }
}
