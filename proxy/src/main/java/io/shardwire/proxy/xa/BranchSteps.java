package io.shardwire.proxy.xa;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one step of the commit protocol on several branches at once, each on its own connection: the first branch's
 * on the calling thread, the others' on virtual threads, so the step costs the slowest group's round trips instead
 * of their sum. Returns only when every step has ended, so that no connection is still in use when the caller goes
 * on (to roll back, for instance).
 */
final class BranchSteps {

    /** A step on one branch. */
    @FunctionalInterface
    interface Step {
        void run(Branch branch) throws SQLException;
    }

    private BranchSteps() {
    }

    /**
     * Runs {@code step} on every branch at once and waits for all of them.
     *
     * @throws SQLException the first branch's failure (in the list's order), the others' added as suppressed
     */
    static void atOnce(List<Branch> branches, Step step) throws SQLException {
        if (branches.size() == 1) {
            step.run(branches.getFirst());
            return;
        }
        Exception[] failures = new Exception[branches.size()];
        List<Thread> others = new ArrayList<>(branches.size() - 1);
        for (int i = 1; i < branches.size(); i++) {
            int index = i;
            others.add(Thread.ofVirtual().name("shardwire-xa-" + branches.get(i).group())
                    .start(() -> failures[index] = runQuietly(step, branches.get(index))));
        }
        failures[0] = runQuietly(step, branches.getFirst());
        joinAll(others);
        SQLException first = null;
        for (Exception failure : failures) {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof SQLException sql) {
                if (first == null) {
                    first = sql;
                } else {
                    first.addSuppressed(sql);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static Exception runQuietly(Step step, Branch branch) {
        try {
            step.run(branch);
            return null;
        } catch (SQLException | RuntimeException e) {
            return e;
        }
    }

    /** Waits for every thread even when interrupted (their connections must be free before anything else runs). */
    private static void joinAll(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
