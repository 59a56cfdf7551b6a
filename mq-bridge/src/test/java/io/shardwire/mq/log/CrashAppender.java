package io.shardwire.mq.log;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The child process of {@link CrashSafetyTest}: opens the log, resumes its producer after its last stored
 * position, and appends batches until it is killed, printing "ack sequence first last" after each append returns.
 */
public final class CrashAppender {

    static final String PRODUCER = "crash-producer";
    static final TopicPartition PARTITION = new TopicPartition("crash", 0);
    static final LogConfig CONFIG = new LogConfig(64 * 1024, 1024, FsyncPolicy.BATCH);

    private CrashAppender() {
    }

    /** Batch {@code sequence}: 1 + sequence % 5 records whose values name the sequence and the record index. */
    static RecordBatch batch(long sequence) {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i <= sequence % 5; i++) {
            String value = sequence + ":" + i + ":" + "v".repeat((int) (sequence * 11 + i) % 200);
            records.add(new Record(sequence, ("key-" + sequence % 7).getBytes(StandardCharsets.UTF_8),
                    Map.of("i", new byte[] {(byte) i}), value.getBytes(StandardCharsets.UTF_8)));
        }
        return RecordBatch.of(PRODUCER, new SourcePosition(sequence, ("gtid-" + sequence).getBytes(
                StandardCharsets.UTF_8)), records);
    }

    /**
     * @param args the data directory
     * @throws Exception if the log fails; the parent sees the process end without being killed
     */
    public static void main(String[] args) throws Exception {
        PartitionLog log = PartitionLog.open(Path.of(args[0]), PARTITION, CONFIG);
        long sequence = log.lastPosition(PRODUCER).map(p -> p.sequence() + 1).orElse(0L);
        System.out.println("ready " + sequence);
        System.out.flush();
        while (true) {
            if (log.append(batch(sequence)) instanceof AppendResult.Appended appended) {
                System.out.println("ack " + sequence + " " + appended.firstOffset() + " " + appended.lastOffset());
                System.out.flush();
            }
            sequence++;
        }
    }
}
