package io.shardwire.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CaptureRatesTest {

    private static final long SECOND = 1_000_000_000L;
    private final CaptureRates rates = new CaptureRates();

    @Test
    void rateIsEventsBetweenReadingsAtLeastASecondApart() {
        assertThat(rates.perSecond("g0", 100, 0)).isEqualTo(-1);
        assertThat(rates.perSecond("g0", 150, SECOND / 2)).isEqualTo(-1);
        assertThat(rates.perSecond("g0", 300, 2 * SECOND)).isEqualTo(100);
        assertThat(rates.perSecond("g0", 400, 2 * SECOND + 10)).isEqualTo(100);
        assertThat(rates.perSecond("g1", 5, 2 * SECOND)).isEqualTo(-1);
    }

    @Test
    void aRestartedCaptureShowsNoRateForThatWindow() {
        rates.perSecond("g0", 500, 0);
        assertThat(rates.perSecond("g0", 10, SECOND)).isEqualTo(-1);
        assertThat(rates.perSecond("g0", 30, 2 * SECOND)).isEqualTo(20);
    }
}
