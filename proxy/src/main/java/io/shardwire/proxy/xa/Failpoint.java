package io.shardwire.proxy.xa;

import java.util.Locale;

/**
 * Points in a cross-group commit where a test can stop the proxy dead, to prove that recovery
 * ends every branch the same way whatever the moment of a crash. The system property
 * {@value #PROPERTY} names one point (e.g. {@code -Dshardwire.failpoint=after_decision}); it is
 * read once at class load, so production runs pay one field comparison per point.
 * {@link Runtime#halt} skips shutdown hooks and finalisation: to the backends it looks like
 * {@code kill -9}.
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
    AFTER_FIRST_COMMIT;

    /** The system property that arms one failpoint. */
    public static final String PROPERTY = "shardwire.failpoint";

    /** The exit status of a halted proxy, for the test that waits for it. */
    public static final int HALT_STATUS = 77;

    private static final Failpoint ARMED = armed(System.getProperty(PROPERTY));

    private static Failpoint armed(String name) {
        return name == null || name.isBlank() ? null : valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    /** Halts the JVM at once if this point is armed. */
    void reach() {
        if (this == ARMED) {
            System.err.println("shardwire failpoint " + name() + " reached: halting");
            System.err.flush();
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }
}
