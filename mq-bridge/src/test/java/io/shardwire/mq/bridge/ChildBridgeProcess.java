package io.shardwire.mq.bridge;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Runs {@link BridgeChild} in a child JVM and kills it with -9 once it has delivered enough. */
public final class ChildBridgeProcess {

    private ChildBridgeProcess() {
    }

    /**
     * Starts the child, waits until it reports at least {@code killAfter} delivered changes and then 0 to 40 ms more,
     * and kills it with -9.
     *
     * @param kind      kafka or rabbitmq
     * @param queueDir  the queue directory; nothing else may have it open
     * @param parameter the broker parameter
     * @param killAfter deliveries to wait for
     * @param logFile   where the child's stderr goes
     * @return the last count the child reported
     * @throws Exception if the child dies or does not get there within 2 minutes
     */
    public static long runAndKill(String kind, Path queueDir, String parameter, long killAfter, Path logFile)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-XX:+UseSerialGC",
                "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), BridgeChild.class.getName(), kind, queueDir.toString(),
                parameter)
                .redirectError(logFile.toFile())
                .start();
        AtomicLong reported = new AtomicLong(-1);
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("delivered ")) {
                        reported.set(Long.parseLong(line.substring("delivered ".length()).trim()));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // The kill can cut the last line short.
            }
        });
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (reported.get() < killAfter) {
                if (!child.isAlive()) {
                    throw new IllegalStateException("the " + kind + " bridge child exited with " + child.exitValue()
                            + " after reporting " + reported.get() + " deliveries; see " + logFile);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the " + kind + " bridge child reported only " + reported.get()
                            + " deliveries in 2 minutes; see " + logFile);
                }
                Thread.sleep(1);
            }
            // A little later, so that the kill lands anywhere in the next delivery, not always between two.
            Thread.sleep(ThreadLocalRandom.current().nextInt(40));
        } finally {
            child.destroyForcibly();
            child.waitFor();
            reader.join();
        }
        return reported.get();
    }
}
