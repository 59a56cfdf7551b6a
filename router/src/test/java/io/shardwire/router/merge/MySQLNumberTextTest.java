package io.shardwire.router.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MySQLNumberTextTest {

    @Test
    void doublesAsMariaDbPrintsThem() {
        // Each expected text is what MariaDB 11.4.5 printed for the same value (SELECT 1e15, ...).
        assertThat(text(1e15)).isEqualTo("1e15");
        assertThat(text(1e14)).isEqualTo("100000000000000");
        assertThat(text(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(text(1e-15)).isEqualTo("0.000000000000001");
        assertThat(text(1e-16)).isEqualTo("1e-16");
        assertThat(text(123456789012345678e0)).isEqualTo("1.2345678901234568e17");
        assertThat(text(-0.5)).isEqualTo("-0.5");
        assertThat(text(2.0)).isEqualTo("2");
        assertThat(text(1234567.125)).isEqualTo("1234567.125");
        assertThat(text(-1e300)).isEqualTo("-1e300");
        assertThat(text(Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(text(0.0)).isEqualTo("0");
    }

    @Test
    void decimalsKeepTheColumnsScaleAndRoundHalfAwayFromZero() {
        assertThat(new String(MySQLNumberText.decimal(new BigDecimal("3.75"), 2), StandardCharsets.US_ASCII)).isEqualTo("3.75");
        assertThat(new String(MySQLNumberText.decimal(new BigDecimal("3"), 4), StandardCharsets.US_ASCII)).isEqualTo("3.0000");
        assertThat(new String(MySQLNumberText.decimal(new BigDecimal("-0.00005"), 4), StandardCharsets.US_ASCII)).isEqualTo("-0.0001");
        assertThat(new String(MySQLNumberText.decimal(new BigDecimal("1E+3"), 0), StandardCharsets.US_ASCII)).isEqualTo("1000");
    }

    private static String text(double value) {
        return new String(MySQLNumberText.floating(value), StandardCharsets.US_ASCII);
    }
}
