package io.shardwire.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Marks a cluster dir as owned by one running {@link EmbeddedCluster}, through a {@link FileLock} on
 * {@code <dataDir>/cluster.lock} that holds the owner's pid.
 *
 * <p>Why: starting a server reaps any mariadbd left on its data dir, which is right after a kill -9 and wrong
 * while another cluster still uses the dir. The kernel drops the lock when its JVM dies, however it dies, so a
 * held lock means a live owner and a free one means anything left running is stale.
 */
final class ClusterDirLock {

    private final FileChannel channel;
    private final FileLock lock;

    private ClusterDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or fails naming the process that holds it. */
    static ClusterDirLock acquire(Path clusterDataDir) {
        Path file = clusterDataDir.resolve("cluster.lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String owner = Files.readString(file, StandardCharsets.US_ASCII).strip();
                channel.close();
                throw new EmbeddedClusterException("cluster dir " + clusterDataDir, "in use by a running "
                        + "EmbeddedCluster in another process (pid " + owner + "); close that one, or use another dataDir");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            return new ClusterDirLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new EmbeddedClusterException("cluster dir " + clusterDataDir, "in use by a running "
                    + "EmbeddedCluster in this JVM; close that one, or use another dataDir", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new EmbeddedClusterException("cluster dir " + clusterDataDir, "could not lock " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** Gives the dir up. The file stays; its pid means nothing once unlocked. */
    void release() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases it as well
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written that closing could lose
        }
    }
}
