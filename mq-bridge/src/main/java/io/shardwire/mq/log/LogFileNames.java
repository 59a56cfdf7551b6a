package io.shardwire.mq.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The names of the files in a partition directory. Every file is named by an offset zero-padded to 20 digits, so
 * that {@code ls} sorts them numerically, plus a suffix:
 * <ul>
 * <li>{@code .log}: a segment's batches, named by its base offset;</li>
 * <li>{@code .index} and {@code .timeindex}: its offset and time indexes;</li>
 * <li>{@code .producers}: each producer's last position before that offset (a snapshot, see
 *     {@link ProducerSnapshot});</li>
 * <li>{@code .deleted}: appended to a file that retention is removing;</li>
 * <li>{@code .tmp}: appended to a file being written, before it is renamed into place.</li>
 * </ul>
 * Files ending in {@code .deleted} or {@code .tmp} are leftovers of an interrupted operation and are removed when the
 * log opens. Stateless and thread-safe.
 */
final class LogFileNames {

    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String PRODUCERS_SUFFIX = ".producers";
    static final String DELETED_SUFFIX = ".deleted";
    static final String TEMP_SUFFIX = ".tmp";

    private LogFileNames() {
    }

    /**
     * @param offset an offset
     * @return the offset zero-padded to 20 digits
     */
    static String filenamePrefix(long offset) {
        return String.format("%020d", offset);
    }

    static Path logFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefix(baseOffset) + LOG_SUFFIX);
    }

    static Path indexFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefix(baseOffset) + INDEX_SUFFIX);
    }

    static Path timeIndexFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefix(baseOffset) + TIME_INDEX_SUFFIX);
    }

    static Path producersFile(Path dir, long offset) {
        return dir.resolve(filenamePrefix(offset) + PRODUCERS_SUFFIX);
    }

    /**
     * @param file a file
     * @return the same path with {@code .deleted} appended
     */
    static Path deleted(Path file) {
        return file.resolveSibling(file.getFileName() + DELETED_SUFFIX);
    }

    /**
     * Lists the offsets of the files with a suffix, ascending.
     *
     * @param dir    the partition directory
     * @param suffix the suffix, for example {@link #LOG_SUFFIX}
     * @return the offsets their names start with
     * @throws IOException if the directory cannot be listed, or a name does not start with a 20-digit offset
     */
    static List<Long> offsetsOf(Path dir, String suffix) throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(suffix)) {
                    offsets.add(parseOffset(file, name.substring(0, name.length() - suffix.length())));
                }
            }
        }
        offsets.sort(null);
        return offsets;
    }

    /**
     * Removes the leftovers of interrupted operations: files ending in {@code .deleted} or {@code .tmp}.
     *
     * @param dir the partition directory
     * @return the files removed
     * @throws IOException if the directory cannot be listed or a file cannot be removed
     */
    static List<Path> removeLeftovers(Path dir) throws IOException {
        List<Path> removed = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(DELETED_SUFFIX) || name.endsWith(TEMP_SUFFIX)) {
                    Files.delete(file);
                    removed.add(file);
                }
            }
        }
        return removed;
    }

    private static long parseOffset(Path file, String prefix) throws IOException {
        if (prefix.length() != 20 || !prefix.chars().allMatch(Character::isDigit)) {
            throw new IOException("file " + file + " is not named <20-digit offset><suffix>; move it out of the"
                    + " partition directory");
        }
        return Long.parseLong(prefix);
    }
}
