package io.shardwire.mq.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Bytes in a log file are not a valid batch: a bad length, a CRC mismatch, an unknown format version, or a base
 * offset that does not follow the previous batch. Recovery cuts the active segment at such a batch; anywhere else
 * it means the disk damaged an already recovered segment, which needs restoring from a backup.
 */
public final class CorruptRecordException extends IOException {

    private final Path file;
    private final int position;

    /**
     * @param file     the log file
     * @param position the byte position of the bad batch
     * @param problem  what is wrong
     */
    public CorruptRecordException(Path file, int position, String problem) {
        super("corrupt batch in " + file + " at position " + position + ": " + problem);
        this.file = file;
        this.position = position;
    }

    /** @return the log file */
    public Path file() {
        return file;
    }

    /** @return the byte position of the bad batch in the file */
    public int position() {
        return position;
    }
}
