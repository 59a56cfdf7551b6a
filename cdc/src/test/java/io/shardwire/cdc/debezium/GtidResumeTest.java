package io.shardwire.cdc.debezium;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When an offset's GTIDs need translating: exactly when Debezium's own check would refuse them. */
class GtidResumeTest {

    @Test
    void aPositionOfTheSameWriterAtLeastAsFarCoversTheOffset() {
        assertThat(GtidResume.covers("0-100-300", "0-100-234")).isTrue();
        assertThat(GtidResume.covers("0-100-234", "0-100-234")).isTrue();
        assertThat(GtidResume.covers("0-100-9,1-200-5", "1-200-5,0-100-9")).isTrue();
    }

    @Test
    void anotherWriterOrAnEarlierSequenceDoesNot() {
        assertThat(GtidResume.covers("0-101-335", "0-100-234")).as("after a failover").isFalse();
        assertThat(GtidResume.covers("0-100-200", "0-100-234")).isFalse();
        assertThat(GtidResume.covers("", "0-100-234")).isFalse();
    }
}
