package io.shardwire.mq.log;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The {@code <offset>.producers} file: every producer's last position in the partition before that offset. One is
 * written whenever the log rolls, named by the new segment's base offset, so that opening the log scans only the
 * batches after the latest snapshot instead of the whole log, and the positions of producers survive the retention
 * of the segments that held their batches. Older snapshots also let a seek by source position skip whole segments.
 *
 * <table>
 * <caption>Snapshot file (big-endian)</caption>
 * <tr><th>Size</th><th>Field</th></tr>
 * <tr><td>4</td><td>magic "SWPS"</td></tr>
 * <tr><td>4</td><td>CRC32C of every byte after this field</td></tr>
 * <tr><td>4</td><td>entry count</td></tr>
 * <tr><td></td><td>per entry: producer id length (1), producer id (UTF-8), sequence (8), last offset (8),
 * position length (2), position bytes</td></tr>
 * </table>
 *
 * <p>Written atomically ({@link DurableFiles#writeAtomically}); stateless and thread-safe.
 */
final class ProducerSnapshot {

    private static final int MAGIC = 0x53575053;
    private static final int BODY_OFFSET = 8;

    private ProducerSnapshot() {
    }

    /**
     * Writes a snapshot atomically.
     *
     * @param file    the {@code .producers} file
     * @param entries the producers' entries
     * @throws IOException if it cannot be written
     */
    static void write(Path file, Map<String, ProducerEntry> entries) throws IOException {
        int size = BODY_OFFSET + 4;
        for (Map.Entry<String, ProducerEntry> entry : entries.entrySet()) {
            size += 1 + entry.getKey().getBytes(StandardCharsets.UTF_8).length + 8 + 8 + 2
                    + entry.getValue().position().bytes().length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putInt(MAGIC).putInt(0).putInt(entries.size());
        for (Map.Entry<String, ProducerEntry> entry : entries.entrySet()) {
            byte[] id = entry.getKey().getBytes(StandardCharsets.UTF_8);
            SourcePosition position = entry.getValue().position();
            buffer.put((byte) id.length).put(id)
                    .putLong(position.sequence())
                    .putLong(entry.getValue().lastOffset())
                    .putShort((short) position.bytes().length).put(position.bytes());
        }
        buffer.putInt(4, crc(buffer.array(), size));
        DurableFiles.writeAtomically(file, buffer.flip());
    }

    /**
     * Reads a snapshot.
     *
     * @param file the {@code .producers} file
     * @return the producers' entries
     * @throws IOException if it cannot be read or fails its magic or CRC check
     */
    static Map<String, ProducerEntry> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (bytes.length < BODY_OFFSET + 4 || buffer.getInt(0) != MAGIC) {
            throw new IOException("producer snapshot " + file + " does not start with the snapshot magic number");
        }
        if (buffer.getInt(4) != crc(bytes, bytes.length)) {
            throw new IOException("producer snapshot " + file + " fails its CRC check");
        }
        try {
            buffer.position(BODY_OFFSET);
            int count = buffer.getInt();
            Map<String, ProducerEntry> entries = new HashMap<>();
            for (int i = 0; i < count; i++) {
                byte[] id = new byte[Byte.toUnsignedInt(buffer.get())];
                buffer.get(id);
                long sequence = buffer.getLong();
                long lastOffset = buffer.getLong();
                byte[] position = new byte[Short.toUnsignedInt(buffer.getShort())];
                buffer.get(position);
                entries.put(new String(id, StandardCharsets.UTF_8),
                        new ProducerEntry(new SourcePosition(sequence, position), lastOffset));
            }
            return entries;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException("producer snapshot " + file + " passed its CRC check but does not parse", e);
        }
    }

    private static int crc(byte[] bytes, int end) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, BODY_OFFSET, end - BODY_OFFSET);
        return (int) crc.getValue();
    }
}
