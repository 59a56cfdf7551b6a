package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequiredGtidsTest {

    private static final String R1 = "10.0.0.1:3306";
    private static final String R2 = "10.0.0.2:3306";

    @Test
    void aReplicaSeenToHaveAppliedTheRequiredGtidNeedsNoWaitThereUntilANewOne() {
        RequiredGtids gtids = new RequiredGtids();
        assertThat(gtids.satisfiedAt("g0", R1)).as("nothing required").isTrue();

        gtids.require("g0", "0-1-5");
        assertThat(gtids.satisfiedAt("g0", R1)).isFalse();
        gtids.applied("g0", "0-1-5", R1);
        assertThat(gtids.satisfiedAt("g0", R1)).isTrue();
        assertThat(gtids.satisfiedAt("g0", R2)).as("another replica of the group").isFalse();
        assertThat(gtids.satisfiedAt("g0", "10.0.0.1:3307")).as("another server at the same host").isFalse();

        // The same GTID fetched again (the session used the primary but wrote nothing): still applied there.
        gtids.require("g0", "0-1-5");
        assertThat(gtids.satisfiedAt("g0", R1)).isTrue();

        // A new write: every replica must show it applied again.
        gtids.require("g0", "0-1-6");
        assertThat(gtids.get("g0")).isEqualTo("0-1-6");
        assertThat(gtids.satisfiedAt("g0", R1)).isFalse();
    }

    @Test
    void onlyAWaitForTheRequiredGtidOfThatGroupCounts() {
        RequiredGtids gtids = new RequiredGtids();
        gtids.require("g0", "0-1-6");
        gtids.require("g1", "1-2-9");
        gtids.applied("g0", "0-1-5", R1);
        assertThat(gtids.satisfiedAt("g0", R1)).as("an older GTID applied").isFalse();
        gtids.applied("g1", "1-2-9", R1);
        assertThat(gtids.satisfiedAt("g1", R1)).isTrue();
        assertThat(gtids.satisfiedAt("g0", R1)).as("applied for another group").isFalse();
    }

    @Test
    void aResetSessionRequiresNothing() {
        RequiredGtids gtids = new RequiredGtids();
        gtids.require("g0", "0-1-6");
        gtids.applied("g0", "0-1-6", R1);
        gtids.clear();
        assertThat(gtids.get("g0")).isNull();
        assertThat(gtids.satisfiedAt("g0", R2)).isTrue();
        gtids.require("g0", "0-1-6");
        assertThat(gtids.satisfiedAt("g0", R1)).as("what was seen before the reset").isFalse();
    }
}
