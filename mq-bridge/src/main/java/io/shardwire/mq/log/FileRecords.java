package io.shardwire.mq.log;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The log file of a segment: batches appended at the end, read back by position.
 *
 * <p><b>Invariant:</b> every byte below {@link #sizeInBytes} was completely written by {@link #append}; readers
 * never look past it, so they never see a half-written batch (the file itself may be longer after a failed write,
 * and recovery or the next append takes care of that).
 *
 * <p>The file of an inactive segment is read-only: {@link #makeReadOnly} forces and closes its write channel, so a
 * partition holds one file descriptor per inactive segment rather than two.
 *
 * <p><b>Thread-safety:</b> one appending thread, any number of reading threads. Appends and reads use separate
 * channels with positional I/O only. That matters because NIO closes a channel when a thread blocked in it is
 * interrupted: an interrupted reader closes only the read channel, which the next read reopens, instead of failing
 * the appender. The size is volatile and published after the bytes are written. {@link #flush} and
 * {@link #makeReadOnly} are mutually exclusive, so a flush racing a roll never finds its channel closed.
 */
final class FileRecords implements Closeable {

    private final Object reopenLock = new Object();
    private volatile Path file;
    /** Null once the file is read-only. */
    private FileChannel writeChannel;
    private volatile FileChannel readChannel;
    private volatile int size;
    private volatile boolean closed;

    private FileRecords(Path file, FileChannel writeChannel, FileChannel readChannel, int size) {
        this.file = file;
        this.writeChannel = writeChannel;
        this.readChannel = readChannel;
        this.size = size;
    }

    /**
     * Opens a log file for appending, creating it if it does not exist.
     *
     * @param file the file
     * @return the file, with its size taken from the file system
     * @throws IOException if it cannot be opened, or it is 2 GiB or larger
     */
    static FileRecords open(Path file) throws IOException {
        FileChannel write = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            return new FileRecords(file, write, FileChannel.open(file, StandardOpenOption.READ), checkedSize(file,
                    write));
        } catch (IOException | RuntimeException e) {
            write.close();
            throw e;
        }
    }

    /**
     * Opens an existing log file for reading only.
     *
     * @param file the file
     * @return the file, with its size taken from the file system
     * @throws IOException if it cannot be opened, or it is 2 GiB or larger
     */
    static FileRecords openReadOnly(Path file) throws IOException {
        FileChannel read = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new FileRecords(file, null, read, checkedSize(file, read));
        } catch (IOException | RuntimeException e) {
            read.close();
            throw e;
        }
    }

    private static int checkedSize(Path file, FileChannel channel) throws IOException {
        long length = channel.size();
        if (length > Integer.MAX_VALUE) {
            throw new IOException("log file " + file + " has " + length + " bytes, more than a segment can hold ("
                    + Integer.MAX_VALUE + "); it was not written by Shardwire");
        }
        return (int) length;
    }

    /** @return the file's current path */
    Path file() {
        return file;
    }

    /** @return bytes completely written and visible to readers */
    int sizeInBytes() {
        return size;
    }

    /**
     * Writes bytes at the end and publishes them. Appending thread only.
     *
     * @param bytes the bytes, from position to limit
     * @return the position they were written at
     * @throws IOException if the write fails; the size is then unchanged
     */
    int append(ByteBuffer bytes) throws IOException {
        FileChannel channel = writable();
        int position = size;
        long end = (long) position + bytes.remaining();
        if (end > Integer.MAX_VALUE) {
            throw new IOException("appending " + bytes.remaining() + " bytes to " + file + " at position " + position
                    + " would pass the 2 GiB segment limit");
        }
        long at = position;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
        size = (int) end;
        return position;
    }

    /**
     * Reads exactly {@code dst.remaining()} bytes from a position below {@link #sizeInBytes}.
     *
     * @param dst      where to put them
     * @param position where to read from
     * @throws ClosedByInterruptException if this thread was interrupted (the read channel is reopened for others)
     * @throws ClosedChannelException     if the file was closed, for example because retention deleted it
     * @throws IOException                on any other read error, or if the file ends early
     */
    void readFully(ByteBuffer dst, long position) throws IOException {
        while (true) {
            FileChannel channel = readChannel;
            try {
                long at = position;
                while (dst.hasRemaining()) {
                    int read = channel.read(dst, at);
                    if (read < 0) {
                        throw new EOFException("log file " + file + " ends at " + at + " while reading up to "
                                + (position + dst.limit()) + "; it was truncated behind the log's back");
                    }
                    at += read;
                }
                return;
            } catch (ClosedByInterruptException e) {
                reopenReadChannel(channel);
                throw e;
            } catch (ClosedChannelException e) {
                // Another reader's interrupt closed the shared read channel under us: reopen and read again.
                reopenReadChannel(channel);
            }
        }
    }

    /**
     * Forces written bytes to the storage device. File metadata is not forced separately: fdatasync includes the
     * file size, which is all that reading the data back needs.
     *
     * @throws IOException if the force fails
     */
    synchronized void flush() throws IOException {
        if (writeChannel != null) {
            writeChannel.force(false);
        }
    }

    /**
     * Forces the file and closes its write channel; appends are refused from then on.
     *
     * @throws IOException if the force or the close fails
     */
    synchronized void makeReadOnly() throws IOException {
        if (writeChannel != null) {
            writeChannel.force(false);
            writeChannel.close();
            writeChannel = null;
        }
    }

    /**
     * Cuts the file at a position and forces the cut. Recovery only, before the file is shared.
     *
     * @param newSize the size to keep, at most the current size
     * @return the number of bytes removed from the file
     * @throws IOException if the file cannot be truncated
     */
    long truncateTo(int newSize) throws IOException {
        FileChannel channel = writable();
        long before = channel.size();
        if (newSize < before) {
            channel.truncate(newSize);
            channel.force(true);
        }
        size = newSize;
        return before - newSize;
    }

    /**
     * Renames the file; open channels keep working on the renamed file.
     *
     * @param target the new path
     * @throws IOException if the rename fails
     */
    void renameTo(Path target) throws IOException {
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        file = target;
    }

    @Override
    public synchronized void close() throws IOException {
        synchronized (reopenLock) {
            closed = true;
            try {
                if (writeChannel != null) {
                    writeChannel.close();
                }
            } finally {
                readChannel.close();
            }
        }
    }

    private synchronized FileChannel writable() {
        if (writeChannel == null) {
            throw new IllegalStateException("log file " + file + " belongs to an inactive segment and is read-only");
        }
        return writeChannel;
    }

    private void reopenReadChannel(FileChannel stale) throws IOException {
        synchronized (reopenLock) {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (readChannel == stale && !stale.isOpen()) {
                readChannel = FileChannel.open(file, StandardOpenOption.READ);
            }
        }
    }
}
