package io.shardwire.mq.log;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A batch as it lies in a log file (see {@link BatchFormat}), read lazily from its bytes. Built either from bytes
 * just encoded for an append, or from bytes read from a file after checking their framing, version and CRC.
 *
 * <p>Immutable once built; safe to share between threads.
 */
final class StoredBatch {

    private final ByteBuffer bytes;

    private StoredBatch(ByteBuffer bytes) {
        this.bytes = bytes;
    }

    /**
     * Wraps bytes produced by {@link BatchFormat#encode}, without checking them.
     *
     * @param encoded the batch, index 0 being its first byte
     * @return the batch
     */
    static StoredBatch wrap(ByteBuffer encoded) {
        return new StoredBatch(encoded.slice());
    }

    /**
     * Checks bytes read from a file: version, record count and CRC. The caller has checked the length field against
     * the file already.
     *
     * @param bytes    exactly one batch, index 0 being its first byte
     * @param file     the file they were read from, for the error message
     * @param position their position in that file, for the error message
     * @return the batch
     * @throws CorruptRecordException if a check fails
     */
    static StoredBatch validate(ByteBuffer bytes, Path file, int position) throws CorruptRecordException {
        byte magic = bytes.get(BatchFormat.MAGIC_OFFSET);
        if (magic != BatchFormat.MAGIC) {
            throw new CorruptRecordException(file, position, "format version " + magic + " (expected: "
                    + BatchFormat.MAGIC + ")");
        }
        int stored = bytes.getInt(BatchFormat.CRC_OFFSET);
        int computed = BatchFormat.crc(bytes, bytes.limit());
        if (stored != computed) {
            throw new CorruptRecordException(file, position, "CRC32C is " + Integer.toHexString(computed)
                    + " but the batch says " + Integer.toHexString(stored));
        }
        StoredBatch batch = new StoredBatch(bytes);
        if (batch.recordCount() <= 0) {
            throw new CorruptRecordException(file, position, "record count " + batch.recordCount()
                    + " (expected: >= 1)");
        }
        return batch;
    }

    long baseOffset() {
        return bytes.getLong(0);
    }

    int recordCount() {
        return bytes.getInt(BatchFormat.RECORD_COUNT_OFFSET);
    }

    long lastOffset() {
        return baseOffset() + recordCount() - 1;
    }

    /** @return the offset after this batch's last record */
    long nextOffset() {
        return baseOffset() + recordCount();
    }

    long maxTimestamp() {
        return bytes.getLong(BatchFormat.MAX_TIMESTAMP_OFFSET);
    }

    /** @return the size of the whole batch in bytes */
    int sizeInBytes() {
        return bytes.limit();
    }

    /** @return a read-only view of the batch's bytes, ready to write */
    ByteBuffer bytes() {
        return bytes.asReadOnlyBuffer();
    }

    Optional<ProducerPosition> producer() {
        int idLength = Byte.toUnsignedInt(bytes.get(BatchFormat.PRODUCER_ID_LENGTH_OFFSET));
        if (idLength == 0) {
            return Optional.empty();
        }
        byte[] id = new byte[idLength];
        bytes.get(BatchFormat.PRODUCER_ID_OFFSET, id);
        int positionLengthAt = BatchFormat.PRODUCER_ID_OFFSET + idLength;
        byte[] position = new byte[Short.toUnsignedInt(bytes.getShort(positionLengthAt))];
        bytes.get(positionLengthAt + 2, position);
        long sequence = bytes.getLong(BatchFormat.PRODUCER_SEQUENCE_OFFSET);
        return Optional.of(new ProducerPosition(new String(id, StandardCharsets.UTF_8),
                new SourcePosition(sequence, position)));
    }

    /**
     * Decodes the records.
     *
     * @return the records with their offsets, in offset order
     * @throws IllegalStateException if the records do not parse; the CRC held, so this is a bug in the writer
     */
    List<LogRecord> records() {
        Optional<ProducerPosition> producer = producer();
        int idLength = Byte.toUnsignedInt(bytes.get(BatchFormat.PRODUCER_ID_LENGTH_OFFSET));
        int positionLengthAt = BatchFormat.PRODUCER_ID_OFFSET + idLength;
        ByteBuffer in = bytes.duplicate()
                .position(positionLengthAt + 2 + Short.toUnsignedInt(bytes.getShort(positionLengthAt)));
        long baseOffset = baseOffset();
        long firstTimestamp = bytes.getLong(BatchFormat.FIRST_TIMESTAMP_OFFSET);
        int count = recordCount();
        List<LogRecord> records = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                int length = in.getInt();
                int end = in.position() + length;
                int offsetDelta = in.getInt();
                if (offsetDelta != i) {
                    throw new IllegalArgumentException("record " + i + " has offset delta " + offsetDelta);
                }
                long timestamp = firstTimestamp + in.getLong();
                byte[] key = getBytes(in);
                int headerCount = in.getInt();
                Map<String, byte[]> headers = new LinkedHashMap<>();
                for (int h = 0; h < headerCount; h++) {
                    byte[] name = new byte[Short.toUnsignedInt(in.getShort())];
                    in.get(name);
                    headers.put(new String(name, StandardCharsets.UTF_8), getBytes(in));
                }
                byte[] value = getBytes(in);
                if (in.position() != end) {
                    throw new IllegalArgumentException("record " + i + " ends at " + in.position() + ", not at "
                            + end);
                }
                records.add(new LogRecord(baseOffset + i, new Record(timestamp, key, headers, value), producer));
            }
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalStateException("batch at offset " + baseOffset + " passed its CRC check but its records"
                    + " do not parse, which points to a bug in the writer: " + e, e);
        }
        if (in.hasRemaining()) {
            throw new IllegalStateException("batch at offset " + baseOffset + " has " + in.remaining()
                    + " bytes after its " + count + " records");
        }
        return records;
    }

    private static byte[] getBytes(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
