package io.shardwire.proxy.xa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The commit protocol's steps run on every branch at once, and their failures come back whole. */
class BranchStepsTest {

    private static final List<Branch> BRANCHES = List.of(new Branch("g0", null, null),
            new Branch("g1", null, new Xid("t", "g1")), new Branch("g2", null, new Xid("t", "g2")));

    @Test
    void everyBranchsStepRunsAtTheSameTime() throws Exception {
        CountDownLatch all = new CountDownLatch(BRANCHES.size());
        ConcurrentLinkedQueue<String> met = new ConcurrentLinkedQueue<>();

        BranchSteps.atOnce(BRANCHES, branch -> {
            all.countDown();
            // One after another, the first step would wait here for steps that never start.
            if (uninterrupted(() -> all.await(10, TimeUnit.SECONDS))) {
                met.add(branch.group());
            }
        });

        assertThat(met).containsExactlyInAnyOrder("g0", "g1", "g2");
    }

    @Test
    void theFirstFailureInBranchOrderIsThrownOnceEveryStepHasEnded() {
        ConcurrentLinkedQueue<String> ended = new ConcurrentLinkedQueue<>();

        assertThatThrownBy(() -> BranchSteps.atOnce(BRANCHES, branch -> {
            if (branch.group().equals("g0")) {
                ended.add("g0");
                return;
            }
            uninterrupted(() -> {
                Thread.sleep(branch.group().equals("g1") ? 200 : 0);
                return true;
            });
            ended.add(branch.group());
            throw new SQLException("failed on " + branch.group());
        })).isInstanceOf(SQLException.class)
                .hasMessage("failed on g1")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("failed on g2"));
        assertThat(ended).containsExactlyInAnyOrder("g0", "g1", "g2");
    }

    /** A blocking call, for a step (which may throw only SQLException). */
    private interface Blocking {
        boolean call() throws InterruptedException;
    }

    private static boolean uninterrupted(Blocking call) throws SQLException {
        try {
            return call.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        }
    }
}
