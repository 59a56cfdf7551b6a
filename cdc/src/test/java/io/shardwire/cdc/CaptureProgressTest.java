package io.shardwire.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CaptureProgressTest {

    @Test
    void lagIsHowLateTheLastEventWasCaptured() {
        assertThat(new CaptureProgress("g0", 3, Optional.of("0-1-7"), 10_000, 10_250).lagMs()).isEqualTo(250);
    }

    @Test
    void lagIsNeverNegativeThoughSourceTimesHaveSecondPrecision() {
        assertThat(new CaptureProgress("g0", 1, Optional.of("0-1-7"), 11_000, 10_900).lagMs()).isZero();
    }

    @Test
    void lagIsUnknownBeforeTheFirstEvent() {
        assertThat(new CaptureProgress("g0", 0, Optional.empty(), -1, -1).lagMs()).isEqualTo(-1);
    }
}
