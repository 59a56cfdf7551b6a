package io.shardwire.mq.log;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads the batches of a log file one after the other, between two positions, checking each one's framing and CRC.
 * Reads the file in chunks of at least 64 KiB, so that small batches do not cost a system call each.
 *
 * <p>Not thread-safe: one scanner per scan. The batches it returns stay valid after the scan moves on.
 */
final class BatchScanner {

    private static final int CHUNK_BYTES = 64 * 1024;

    private final FileRecords file;
    private final int end;
    private int position;
    private ByteBuffer chunk = ByteBuffer.allocate(0);
    private int chunkStart;

    /**
     * @param file  the log file
     * @param start the position of a batch
     * @param end   the position to stop at, at most the file's size
     */
    BatchScanner(FileRecords file, int start, int end) {
        this.file = file;
        this.position = start;
        this.end = end;
    }

    /** @return the position of the next batch */
    int position() {
        return position;
    }

    boolean hasNext() {
        return position < end;
    }

    /**
     * Reads the next batch and moves past it.
     *
     * @return the batch
     * @throws CorruptRecordException if the bytes at the current position are not a whole, valid batch; the scanner
     *     stays at that position
     * @throws IOException            if the file cannot be read
     */
    StoredBatch next() throws IOException {
        int remaining = end - position;
        if (remaining < BatchFormat.LOG_OVERHEAD) {
            throw new CorruptRecordException(file.file(), position, "only " + remaining
                    + " bytes left, fewer than the " + BatchFormat.LOG_OVERHEAD + " that frame a batch");
        }
        int length = bytes(position, BatchFormat.LOG_OVERHEAD).getInt(BatchFormat.LENGTH_OFFSET);
        if (length < BatchFormat.MIN_BATCH_LENGTH || length > remaining - BatchFormat.LOG_OVERHEAD) {
            throw new CorruptRecordException(file.file(), position, "batch length " + length + " (expected: "
                    + BatchFormat.MIN_BATCH_LENGTH + " to the " + (remaining - BatchFormat.LOG_OVERHEAD)
                    + " bytes left in the file)");
        }
        StoredBatch batch = StoredBatch.validate(bytes(position, BatchFormat.LOG_OVERHEAD + length), file.file(),
                position);
        position += BatchFormat.LOG_OVERHEAD + length;
        return batch;
    }

    /** Returns a buffer holding the file's bytes [at, at + length), reading a new chunk if the current one lacks them. */
    private ByteBuffer bytes(int at, int length) throws IOException {
        if (at < chunkStart || at + length > chunkStart + chunk.limit()) {
            // A new buffer each time rather than a reused one: batches handed out keep pointing into the old one.
            chunk = ByteBuffer.allocate(Math.min(Math.max(CHUNK_BYTES, length), end - at));
            file.readFully(chunk, at);
            chunk.flip();
            chunkStart = at;
        }
        return chunk.slice(at - chunkStart, length);
    }
}
