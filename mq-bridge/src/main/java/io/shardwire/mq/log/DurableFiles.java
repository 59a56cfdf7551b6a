package io.shardwire.mq.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes small files so that a crash leaves either the old content or the new, never a mix: write a temporary file,
 * force it, rename it over the target, force the directory. Used for indexes, producer snapshots and consumer-group
 * offsets. Stateless and thread-safe, as long as no two threads write the same target at once.
 */
public final class DurableFiles {

    private DurableFiles() {
    }

    /**
     * Replaces a file's content atomically and durably.
     *
     * @param target  the file
     * @param content the bytes, from position to limit
     * @throws IOException if any step fails; the target then keeps its old content (a {@code .tmp} file may remain)
     */
    public static void writeAtomically(Path target, ByteBuffer content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + LogFileNames.TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = content.duplicate();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Forces a directory's entries (file creations, renames, deletions) to disk. Without this a file created or
     * renamed just before a machine crash can vanish even though its content was forced.
     *
     * @param dir the directory
     * @throws IOException if the directory cannot be opened or forced
     */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
