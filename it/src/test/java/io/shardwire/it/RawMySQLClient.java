package io.shardwire.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deliberately small MySQL client on a plain socket, for what drivers never send: commands they
 * do not expose (COM_FIELD_LIST, COM_SET_OPTION), pipelined commands, and malformed packets. Logs
 * in with mysql_native_password; the caller reads raw response packets.
 */
final class RawMySQLClient implements AutoCloseable {

    /** Client capabilities: LONG_PASSWORD, FOUND_ROWS, LONG_FLAG, CONNECT_WITH_DB, PROTOCOL_41, TRANSACTIONS,
     *  SECURE_CONNECTION, MULTI_RESULTS, PLUGIN_AUTH. No DEPRECATE_EOF: responses end with EOF packets. */
    private static final int CAPABILITIES = 0x1 | 0x2 | 0x4 | 0x8 | 0x200 | 0x2000 | 0x8000 | 0x20000 | 0x80000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /** One packet: its sequence id and payload. */
    record Packet(int sequenceId, byte[] payload) {
        int header() {
            return payload.length == 0 ? -1 : payload[0] & 0xFF;
        }

        boolean isOk() {
            return header() == 0x00;
        }

        boolean isErr() {
            return header() == 0xFF;
        }

        boolean isEof() {
            return header() == 0xFE && payload.length < 9;
        }

        /** The server status flags of an EOF packet. */
        int eofStatusFlags() {
            return (payload[3] & 0xFF) | (payload[4] & 0xFF) << 8;
        }

        /** The error code of an ERR packet. */
        int errorCode() {
            return (payload[1] & 0xFF) | (payload[2] & 0xFF) << 8;
        }

        /** The message of an ERR packet (after the SQL state). */
        String errorMessage() {
            return new String(payload, 9, payload.length - 9, StandardCharsets.UTF_8);
        }
    }

    private RawMySQLClient(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(30_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects and reads the greeting, without logging in. */
    static RawMySQLClient connect(int port) throws IOException {
        RawMySQLClient client = new RawMySQLClient(new Socket("127.0.0.1", port));
        client.read();
        return client;
    }

    /** Ends what this client sends (a half close), as a client that stops mid-packet would. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Connects and logs in; fails with the server's ERR message if the login is refused. */
    static RawMySQLClient login(int port, String user, String password, String schema) throws IOException {
        RawMySQLClient client = new RawMySQLClient(new Socket("127.0.0.1", port));
        byte[] greeting = client.read().payload();
        byte[] scramble = scrambleOf(greeting);
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        writeInt4(response, CAPABILITIES);
        writeInt4(response, 1 << 24);
        response.write(45);
        response.write(new byte[23]);
        response.writeBytes((user + "\0").getBytes(StandardCharsets.UTF_8));
        byte[] auth = nativeScramble(password, scramble);
        response.write(auth.length);
        response.writeBytes(auth);
        response.writeBytes((schema + "\0").getBytes(StandardCharsets.UTF_8));
        response.writeBytes("mysql_native_password\0".getBytes(StandardCharsets.UTF_8));
        client.write(1, response.toByteArray());
        Packet result = client.read();
        if (!result.isOk()) {
            client.close();
            throw new IOException("login refused: " + (result.isErr() ? result.errorMessage() : result));
        }
        return client;
    }

    /** Sends a command packet (sequence id 0) without reading the answer. */
    void send(int command, byte[] body) throws IOException {
        byte[] payload = new byte[body.length + 1];
        payload[0] = (byte) command;
        System.arraycopy(body, 0, payload, 1, body.length);
        write(0, payload);
    }

    /** Sends a command of any length as the protocol splits it: pieces of 0xFFFFFF bytes, numbered from 0. */
    void sendSplit(int command, byte[] body) throws IOException {
        byte[] payload = new byte[body.length + 1];
        payload[0] = (byte) command;
        System.arraycopy(body, 0, payload, 1, body.length);
        int sequenceId = 0;
        int at = 0;
        while (true) {
            int length = Math.min(0xFFFFFF, payload.length - at);
            write(sequenceId++, Arrays.copyOfRange(payload, at, at + length));
            at += length;
            if (length < 0xFFFFFF) {
                return;
            }
        }
    }

    /** Writes raw bytes, framing included or not: whatever a test wants the server to see. */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one packet. */
    Packet read() throws IOException {
        int length = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
        int sequenceId = in.readUnsignedByte();
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Packet(sequenceId, payload);
    }

    /** Reads packets up to and including the first OK, ERR or EOF (a response without a result set). */
    List<Packet> readUntilEnd() throws IOException {
        List<Packet> packets = new ArrayList<>();
        Packet packet;
        do {
            packet = read();
            packets.add(packet);
        } while (!packet.isOk() && !packet.isErr() && !packet.isEof());
        return packets;
    }

    /** Whether the server closed the connection (reads hit the end of the stream). */
    boolean isClosedByServer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    private void write(int sequenceId, byte[] payload) throws IOException {
        byte[] header = {(byte) payload.length, (byte) (payload.length >> 8), (byte) (payload.length >> 16),
                (byte) sequenceId};
        out.write(header);
        out.write(payload);
        out.flush();
    }

    private static byte[] scrambleOf(byte[] greeting) {
        int at = 1;
        while (greeting[at] != 0) {
            at++;
        }
        at += 1 + 4;
        byte[] first = Arrays.copyOfRange(greeting, at, at + 8);
        at += 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10;
        byte[] second = Arrays.copyOfRange(greeting, at, at + 12);
        byte[] scramble = new byte[20];
        System.arraycopy(first, 0, scramble, 0, 8);
        System.arraycopy(second, 0, scramble, 8, 12);
        return scramble;
    }

    private static byte[] nativeScramble(String password, byte[] scramble) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
            byte[] stage2 = sha1.digest(stage1);
            sha1.update(scramble);
            byte[] mask = sha1.digest(stage2);
            for (int i = 0; i < stage1.length; i++) {
                stage1[i] ^= mask[i];
            }
            return stage1;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void writeInt4(ByteArrayOutputStream out, int value) {
        out.write(value);
        out.write(value >> 8);
        out.write(value >> 16);
        out.write(value >> 24);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
