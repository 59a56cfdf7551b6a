package io.shardwire.proxy.xa;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Points in a cross-group commit where a test can stop the proxy dead, to prove that recovery
 * ends every branch the same way whatever the moment of a crash. The system property
 * {@value #PROPERTY} names one point (e.g. {@code -Dshardwire.failpoint=after_decision}); it is
 * read once at class load, so production runs pay one field comparison per point.
 * {@link Runtime#halt} skips shutdown hooks and finalisation: to the backends it looks like
 * {@code kill -9}. With {@value #PAUSE_UNTIL_PROPERTY} naming a file as well, the point pauses the commit instead,
 * until that file exists, so that a test can take a shard group down at that step of a commit while the proxy runs.
 */
public enum Failpoint {

    /** Every XA branch is prepared; the decision is not yet logged (recovery must roll back). */
    BEFORE_DECISION,
    /**
     * The commit decision is durable; the first (plain) branch has not committed and dies with the
     * proxy's connection, so there is no marker (recovery must roll back: the log alone is not the truth).
     */
    AFTER_DECISION,
    /** The first branch has committed; the XA branches have not (recovery must commit). */
    AFTER_FIRST_COMMIT,
    /**
     * Reached only by a commit that failed before its decision was logged (a prepare step, or the log): its
     * branches, the XA ones perhaps prepared, are about to be rolled back (recovery must roll back).
     */
    BEFORE_ROLLBACK;

    /** The system property that arms one failpoint. */
    public static final String PROPERTY = "shardwire.failpoint";

    /** The system property naming a file: the armed point waits until it exists instead of halting. */
    public static final String PAUSE_UNTIL_PROPERTY = "shardwire.failpoint.pauseUntil";

    /** The exit status of a halted proxy, for the test that waits for it. */
    public static final int HALT_STATUS = 77;

    private static final Failpoint ARMED = armed(System.getProperty(PROPERTY));
    private static final Path PAUSE_UNTIL = pauseUntil(System.getProperty(PAUSE_UNTIL_PROPERTY));

    private static Failpoint armed(String name) {
        return name == null || name.isBlank() ? null : valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    private static Path pauseUntil(String file) {
        return file == null || file.isBlank() ? null : Path.of(file.trim());
    }

    /** Halts the JVM at once if this point is armed, or pauses until the file is there if one is named. */
    void reach() {
        if (this != ARMED) {
            return;
        }
        if (PAUSE_UNTIL != null) {
            pause();
            return;
        }
        System.err.println("shardwire failpoint " + name() + " reached: halting");
        System.err.flush();
        Runtime.getRuntime().halt(HALT_STATUS);
    }

    private void pause() {
        if (Files.exists(PAUSE_UNTIL)) {
            return;
        }
        System.err.println("shardwire failpoint " + name() + " reached: paused until " + PAUSE_UNTIL + " exists");
        System.err.flush();
        while (!Files.exists(PAUSE_UNTIL)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
