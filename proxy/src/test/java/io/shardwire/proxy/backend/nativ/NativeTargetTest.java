package io.shardwire.proxy.backend.nativ;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NativeTargetTest {

    private static final NativeTarget PRIMARY = target("g0", NativeTarget.PRIMARY, 3311, "shop_0");

    @Test
    void aFormerPrimaryOfTheGroupIsSupersededForEveryDatabase() {
        assertThat(target("g0", NativeTarget.PRIMARY, 3310, "shop_0").supersededBy(PRIMARY)).isTrue();
        assertThat(target("g0", NativeTarget.PRIMARY, 3310, "shop_2").supersededBy(PRIMARY)).isTrue();
    }

    @Test
    void aReplicaAtThePrimarysAddressWasPromoted() {
        assertThat(target("g0", 0, 3311, "shop_0").supersededBy(PRIMARY)).isTrue();
        assertThat(target("g0", 1, 3312, "shop_0").supersededBy(PRIMARY)).as("another replica").isFalse();
    }

    @Test
    void thePrimaryItselfOtherGroupsAndOtherSessionSetsStay() {
        assertThat(target("g0", NativeTarget.PRIMARY, 3311, "shop_2").supersededBy(PRIMARY)).isFalse();
        assertThat(new NativeTarget("g0", NativeTarget.PRIMARY, "127.0.0.1", 3311, "u", "p", "shop_0", true,
                List.of("SET NAMES latin1")).supersededBy(PRIMARY)).isFalse();
        assertThat(target("g1", NativeTarget.PRIMARY, 3320, "shop_1").supersededBy(PRIMARY)).isFalse();
        assertThat(target("g1", 0, 3311, "shop_1").supersededBy(PRIMARY)).as("another group's replica").isFalse();
        assertThat(PRIMARY.supersededBy(target("g0", 0, 3310, "shop_0"))).as("only a primary supersedes").isFalse();
    }

    private static NativeTarget target(String group, int replica, int port, String database) {
        return new NativeTarget(group, replica, "127.0.0.1", port, "u", "p", database, true, List.of());
    }
}
