package io.shardwire.proxy.xa;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionLogTest {

    @TempDir
    Path dir;

    @Test
    void keepsUnresolvedDecisionsAcrossReopen() throws Exception {
        try (DecisionLog log = DecisionLog.open(dir)) {
            log.commit(new DecisionLog.Decision("sw-a-1", "g0"));
            log.commit(new DecisionLog.Decision("sw-a-2", "g1"));
            log.resolved("sw-a-1");
        }
        try (DecisionLog log = DecisionLog.open(dir)) {
            assertThat(log.pending()).containsExactly(new DecisionLog.Decision("sw-a-2", "g1"));
        }
    }

    @Test
    void truncatesATornOrCorruptTail() throws Exception {
        try (DecisionLog log = DecisionLog.open(dir)) {
            log.commit(new DecisionLog.Decision("sw-a-1", "g0"));
        }
        Path file = dir.resolve("decisions.log");
        long good = Files.size(file);
        try (DecisionLog log = DecisionLog.open(dir)) {
            log.commit(new DecisionLog.Decision("sw-a-2", "g1"));
        }
        // Flip a byte of the second record's payload, then add half a header.
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x55;
        Files.write(file, bytes);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.APPEND)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0}));
        }
        try (DecisionLog log = DecisionLog.open(dir)) {
            assertThat(log.pending()).containsExactly(new DecisionLog.Decision("sw-a-1", "g0"));
            assertThat(Files.size(file)).isEqualTo(good);
            log.commit(new DecisionLog.Decision("sw-a-3", "g1"));
        }
        try (DecisionLog log = DecisionLog.open(dir)) {
            assertThat(log.pending()).extracting(DecisionLog.Decision::gtrid).containsExactly("sw-a-1", "sw-a-3");
        }
    }

    @Test
    void compactionKeepsOnlyPendingDecisions() throws Exception {
        try (DecisionLog log = DecisionLog.open(dir)) {
            for (int i = 0; i < 100; i++) {
                log.commit(new DecisionLog.Decision("sw-a-" + i, "g0"));
                if (i != 42) {
                    log.resolved("sw-a-" + i);
                }
            }
            long before = Files.size(dir.resolve("decisions.log"));
            log.compact();
            assertThat(Files.size(dir.resolve("decisions.log"))).isLessThan(before / 50);
            log.commit(new DecisionLog.Decision("sw-b-1", "g1"));
        }
        try (DecisionLog log = DecisionLog.open(dir)) {
            assertThat(log.pending()).extracting(DecisionLog.Decision::gtrid).containsExactly("sw-a-42", "sw-b-1");
        }
    }

    @Test
    void concurrentCommitsSharingForcesAndACompactionKeepEveryPendingDecision() throws Exception {
        int threads = 8;
        int each = 600; // 4,800 resolved in all: at least one compaction while commits force
        java.util.Set<String> kept = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (DecisionLog log = DecisionLog.open(dir)) {
            java.util.List<Thread> workers = new java.util.ArrayList<>();
            java.util.List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            for (int t = 0; t < threads; t++) {
                int thread = t;
                workers.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < each; i++) {
                            String gtrid = "sw-a-" + thread + "-" + i;
                            log.commit(new DecisionLog.Decision(gtrid, "g0"));
                            if (i % 10 == 0) {
                                kept.add(gtrid);
                            } else {
                                log.resolved(gtrid);
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            assertThat(failures).isEmpty();
            assertThat(log.pending()).extracting(DecisionLog.Decision::gtrid).containsExactlyInAnyOrderElementsOf(kept);
        }
        try (DecisionLog log = DecisionLog.open(dir)) {
            assertThat(log.pending()).extracting(DecisionLog.Decision::gtrid).containsExactlyInAnyOrderElementsOf(kept);
        }
    }
}
