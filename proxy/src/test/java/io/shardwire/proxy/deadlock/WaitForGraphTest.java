package io.shardwire.proxy.deadlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.proxy.deadlock.WaitForGraph.Wait;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaitForGraphTest {

    @Test
    void twoSessionsWaitingForEachOtherOnTwoGroupsAreACycle() {
        Wait oneOnG2 = new Wait(1, 2, "g2", 11, 101);
        Wait twoOnG1 = new Wait(2, 1, "g1", 22, 202);

        assertThat(new WaitForGraph(List.of(twoOnG1, oneOnG2)).crossGroupCycles())
                .containsExactly(List.of(oneOnG2, twoOnG1));
    }

    @Test
    void aCycleOnOneGroupIsLeftToItsServer() {
        assertThat(new WaitForGraph(List.of(new Wait(1, 2, "g1", 11, 101), new Wait(2, 1, "g1", 22, 202)))
                .crossGroupCycles()).isEmpty();
    }

    @Test
    void waitsThatEndNowhereAreNoCycle() {
        assertThat(new WaitForGraph(List.of(new Wait(1, 2, "g1", 11, 101), new Wait(2, 3, "g2", 22, 202),
                new Wait(4, 3, "g1", 44, 404))).crossGroupCycles()).isEmpty();
    }

    @Test
    void aCycleOfThreeSessionsIsFoundOnceAndOtherWaitsAreNotInIt() {
        Wait a = new Wait(3, 5, "g1", 31, 301);
        Wait b = new Wait(5, 8, "g2", 51, 501);
        Wait c = new Wait(8, 3, "g1", 81, 801);
        Wait outside = new Wait(9, 3, "g2", 91, 901);

        assertThat(new WaitForGraph(List.of(outside, c, b, a)).crossGroupCycles()).containsExactly(List.of(a, b, c));
    }

    @Test
    void aSessionWaitingForItselfIsIgnored() {
        assertThat(new WaitForGraph(List.of(new Wait(1, 1, "g1", 11, 101), new Wait(1, 1, "g2", 12, 102)))
                .crossGroupCycles()).isEmpty();
    }
}
