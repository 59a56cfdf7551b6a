package io.shardwire.proxy.xa;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The durable record of commit decisions for transactions over several shard groups, in the
 * proxy's data dir. Append-only; each record is {@code [length:int][crc32c:int][payload]} with a
 * payload of a type byte and UTF strings: COMMIT (gtrid, the group holding the commit marker) is
 * forced to disk before the proxy acts on it; RESOLVED (gtrid) is written once every branch has
 * ended, without a force (losing it only makes recovery look at a finished transaction again).
 *
 * <p>On open, a torn or corrupt tail (a crash in the middle of an append) is truncated away: a
 * record whose CRC does not match was never acted upon, since acting waits for the force. The file
 * is compacted (rewritten with only the unresolved decisions, then atomically renamed) once enough
 * resolved records have accumulated.
 *
 * <p>Thread-safe: appends are serialised; forces are shared (group commit): a commit whose record
 * is appended while another commit's force runs waits for that force to end, then one force covers
 * every record appended meanwhile, so concurrent transactions do not queue one fsync each.
 */
public final class DecisionLog implements AutoCloseable {

    /** A logged commit decision: commit the XA branches of {@code gtrid} iff its marker exists on {@code markerGroup}. */
    public record Decision(String gtrid, String markerGroup) {
    }

    private static final byte COMMIT = 1;
    private static final byte RESOLVED = 2;
    /** Resolved records tolerated before a compaction rewrites the file. */
    private static final int COMPACT_AFTER = 4_096;

    private final Path file;
    private final Map<String, Decision> pending = new LinkedHashMap<>();
    private FileChannel channel;
    private int resolvedSinceCompaction;
    /** Guards everything here; the force itself runs outside it, so appends go on meanwhile. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition forceEnded = lock.newCondition();
    /** Records appended since the log opened, and how many of them are known forced to disk. */
    private long appended;
    private long forced;
    private boolean forcing;

    private DecisionLog(Path file) {
        this.file = file;
    }

    /** Opens (or creates) {@code decisions.log} in {@code dir}, reading the decisions not yet resolved. */
    public static DecisionLog open(Path dir) throws IOException {
        Files.createDirectories(dir);
        DecisionLog log = new DecisionLog(dir.resolve("decisions.log"));
        log.channel = FileChannel.open(log.file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        log.replay();
        return log;
    }

    private void replay() throws IOException {
        ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(channel.size()));
        channel.read(all, 0);
        all.flip();
        long valid = 0;
        while (all.remaining() >= 8) {
            int length = all.getInt();
            int crc = all.getInt();
            if (length <= 0 || length > all.remaining()) {
                break;
            }
            byte[] payload = new byte[length];
            all.get(payload);
            if (crc(payload) != crc) {
                break;
            }
            apply(payload);
            valid = all.position();
        }
        if (valid < channel.size()) {
            channel.truncate(valid);
            channel.force(true);
        }
        channel.position(valid);
    }

    private void apply(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        byte type = in.readByte();
        String gtrid = in.readUTF();
        if (type == COMMIT) {
            pending.put(gtrid, new Decision(gtrid, in.readUTF()));
        } else {
            pending.remove(gtrid);
        }
    }

    /** The decisions whose transactions may still have unfinished branches, oldest first. */
    public List<Decision> pending() {
        lock.lock();
        try {
            return List.copyOf(pending.values());
        } finally {
            lock.unlock();
        }
    }

    /** Logs a commit decision and forces it to disk; only then may the transaction's first branch commit. */
    public void commit(Decision decision) throws IOException {
        byte[] record = record(COMMIT, decision.gtrid(), decision.markerGroup());
        lock.lock();
        try {
            append(record);
            long mine = ++appended;
            // Pending before it is forced: a compaction meanwhile must carry it into the new file.
            pending.put(decision.gtrid(), decision);
            try {
                forceThrough(mine);
            } catch (IOException e) {
                pending.remove(decision.gtrid());
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns once the first {@code record} records are on disk: forcing them (and all appended so
     * far) unless another commit's force is under way, in which case it waits for that one and then
     * checks again. Called with the lock held; the lock is released during the force.
     */
    private void forceThrough(long record) throws IOException {
        while (forced < record) {
            if (forcing) {
                forceEnded.awaitUninterruptibly();
                continue;
            }
            forcing = true;
            long target = appended;
            FileChannel forcedChannel = channel;
            lock.unlock();
            try {
                forcedChannel.force(false);
            } finally {
                lock.lock();
                forcing = false;
                forceEnded.signalAll();
            }
            forced = Math.max(forced, target);
        }
    }

    /** Records that every branch of {@code gtrid} has ended and its marker is gone. */
    public void resolved(String gtrid) throws IOException {
        lock.lock();
        try {
            if (pending.remove(gtrid) == null) {
                return;
            }
            append(record(RESOLVED, gtrid, null));
            appended++;
            if (++resolvedSinceCompaction >= COMPACT_AFTER) {
                compact();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Rewrites the file with only the pending decisions (temporary file, force, atomic rename). */
    public void compact() throws IOException {
        lock.lock();
        try {
            while (forcing) {
                // The channel being forced is about to be replaced.
                forceEnded.awaitUninterruptibly();
            }
            rewrite();
            // The new file holds every pending decision, forced.
            forced = appended;
        } finally {
            lock.unlock();
        }
    }

    private void rewrite() throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".compacting");
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Decision decision : pending.values()) {
                out.write(ByteBuffer.wrap(record(COMMIT, decision.gtrid(), decision.markerGroup())));
            }
            out.force(true);
        }
        channel.close();
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channel.position(channel.size());
        resolvedSinceCompaction = 0;
    }

    private void append(byte[] record) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(record);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static byte[] record(byte type, String gtrid, String markerGroup) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream payload = new DataOutputStream(bytes);
        payload.writeByte(type);
        payload.writeUTF(gtrid);
        if (markerGroup != null) {
            payload.writeUTF(markerGroup);
        }
        byte[] body = bytes.toByteArray();
        return ByteBuffer.allocate(8 + body.length).putInt(body.length).putInt(crc(body)).put(body).array();
    }

    private static int crc(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return (int) crc.getValue();
    }

    /** The log file, for messages. */
    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            channel.close();
        } finally {
            lock.unlock();
        }
    }
}
