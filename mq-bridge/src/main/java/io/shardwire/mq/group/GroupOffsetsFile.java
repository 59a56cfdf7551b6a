package io.shardwire.mq.group;

import io.shardwire.mq.log.DurableFiles;
import io.shardwire.mq.log.TopicPartition;
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
 * The {@code <group>.offsets} file: a group's committed offsets. Rewritten whole on every commit, atomically
 * (temporary file, force, rename, force the directory), so a crash leaves either the previous commit or the new one.
 *
 * <table>
 * <caption>Offsets file (big-endian)</caption>
 * <tr><th>Size</th><th>Field</th></tr>
 * <tr><td>4</td><td>magic "SWGO"</td></tr>
 * <tr><td>4</td><td>CRC32C of every byte after this field</td></tr>
 * <tr><td>4</td><td>entry count</td></tr>
 * <tr><td></td><td>per entry: topic length (2), topic (UTF-8), partition (4), committed offset (8)</td></tr>
 * </table>
 *
 * <p>Stateless and thread-safe, as long as no two threads write the same group's file at once.
 */
final class GroupOffsetsFile {

    static final String SUFFIX = ".offsets";

    private static final int MAGIC = 0x5357474F;
    private static final int BODY_OFFSET = 8;

    private GroupOffsetsFile() {
    }

    static void write(Path file, Map<TopicPartition, Long> offsets) throws IOException {
        int size = BODY_OFFSET + 4;
        for (TopicPartition partition : offsets.keySet()) {
            size += 2 + partition.topic().getBytes(StandardCharsets.UTF_8).length + 4 + 8;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putInt(MAGIC).putInt(0).putInt(offsets.size());
        for (Map.Entry<TopicPartition, Long> entry : offsets.entrySet()) {
            byte[] topic = entry.getKey().topic().getBytes(StandardCharsets.UTF_8);
            buffer.putShort((short) topic.length).put(topic).putInt(entry.getKey().partition())
                    .putLong(entry.getValue());
        }
        buffer.putInt(4, crc(buffer.array(), size));
        DurableFiles.writeAtomically(file, buffer.flip());
    }

    static Map<TopicPartition, Long> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        String whatToDo = "; restore it from a backup, or delete it to make the group start over from its"
                + " consumers' reset policy";
        if (bytes.length < BODY_OFFSET + 4 || buffer.getInt(0) != MAGIC) {
            throw new IOException("consumer group offsets file " + file + " does not start with the offsets magic"
                    + " number" + whatToDo);
        }
        if (buffer.getInt(4) != crc(bytes, bytes.length)) {
            throw new IOException("consumer group offsets file " + file + " fails its CRC check" + whatToDo);
        }
        try {
            buffer.position(BODY_OFFSET);
            int count = buffer.getInt();
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (int i = 0; i < count; i++) {
                byte[] topic = new byte[Short.toUnsignedInt(buffer.getShort())];
                buffer.get(topic);
                offsets.put(new TopicPartition(new String(topic, StandardCharsets.UTF_8), buffer.getInt()),
                        buffer.getLong());
            }
            return offsets;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException("consumer group offsets file " + file + " passed its CRC check but does not parse"
                    + whatToDo, e);
        }
    }

    private static int crc(byte[] bytes, int end) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, BODY_OFFSET, end - BODY_OFFSET);
        return (int) crc.getValue();
    }
}
