package io.shardwire.cdc.debezium;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GtidTargetTest {

    private static CapturePosition at(String offsetJson) {
        return new CapturePosition(new CaptureOffset("[\"cdc-g0\",{\"server\":\"cdc-g0\"}]".getBytes(
                StandardCharsets.UTF_8), offsetJson.getBytes(StandardCharsets.UTF_8)), Optional.empty());
    }

    @Test
    void theHighestSequencePerDomainOfTheOffsetAndTheLastEvent() {
        CapturePosition inside = at("{\"gtids\":\"0-100-233\",\"transaction_id\":\"0-100-234\",\"event\":2}");
        assertThat(GtidTarget.of(inside, Optional.empty())).hasValueSatisfying(target ->
                assertThat(target).hasToString("0-100-234"));
        assertThat(GtidTarget.of(inside, Optional.of("0-101-240"))).hasValueSatisfying(target ->
                assertThat(target).hasToString("0-101-240"));
        assertThat(GtidTarget.of(at("{\"gtids\":\"1-7-5,0-100-9\"}"), Optional.empty())).hasValueSatisfying(target ->
                assertThat(target).hasToString("0-100-9,1-7-5"));
    }

    @Test
    void aPositionWithoutGtidsNeedsNoReplica() {
        assertThat(GtidTarget.of(at("{\"file\":\"binlog.000001\",\"pos\":4}"), Optional.empty())).isEmpty();
    }

    @Test
    void coversComparesSequencesPerDomainWhateverServerWroteThem() {
        GtidTarget replica = GtidTarget.of(at("{\"gtids\":\"0-101-300\"}"), Optional.empty()).orElseThrow();
        GtidTarget earlier = GtidTarget.of(at("{\"gtids\":\"0-100-299\"}"), Optional.empty()).orElseThrow();
        GtidTarget later = GtidTarget.of(at("{\"gtids\":\"0-100-301\"}"), Optional.empty()).orElseThrow();
        GtidTarget otherDomain = GtidTarget.of(at("{\"gtids\":\"1-100-1\"}"), Optional.empty()).orElseThrow();
        assertThat(replica.covers(earlier)).isTrue();
        assertThat(replica.covers(later)).isFalse();
        assertThat(replica.covers(otherDomain)).isFalse();
        assertThat(replica.max(later).covers(later)).isTrue();
        assertThat(replica.max(otherDomain)).hasToString("0-101-300,1-100-1");
    }
}
