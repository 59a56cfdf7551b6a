package io.shardwire.router.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.router.merge.SqlValue.Dbl;
import io.shardwire.router.merge.SqlValue.Dec;
import io.shardwire.router.merge.SqlValue.Int;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** MariaDB's arithmetic as {@code SELECT} shows it on MariaDB 11.4 (values checked there by hand). */
class MySQLArithmeticTest {

    private static Dec dec(String value) {
        BigDecimal v = new BigDecimal(value);
        return new Dec(v, v.scale());
    }

    private static Int integer(long value) {
        return new Int(BigInteger.valueOf(value), false);
    }

    @Test
    void decimalDivisionTruncatesToWholeWordsOfFraction() {
        // SELECT 2/3 holds 0.666666666 (shown 0.6667)
        assertThat(MySQLArithmetic.binary('/', integer(2), integer(3), "2/3")).isEqualTo(dec("0.666666666").withDecimals(4));
        // SELECT 1.5/0.3: both operands' fractions round up to a 9-digit word each: 18 digits
        assertThat(((Dec) MySQLArithmetic.binary('/', dec("1.5"), dec("0.3"), "")).value())
                .isEqualTo(new BigDecimal("5.000000000000000000"));
        // SELECT 10.01/3 -> 3.336667 (6 decimals), held as 3.336666666
        Dec q = (Dec) MySQLArithmetic.binary('/', dec("10.01"), integer(3), "");
        assertThat(q.value()).isEqualTo(new BigDecimal("3.336666666"));
        assertThat(q.decimals()).isEqualTo(6);
        // SELECT 1/3*3 -> 1.0000 (0.999999999 rounded), not 1
        SqlValue product = MySQLArithmetic.binary('*', MySQLArithmetic.binary('/', integer(1), integer(3), ""), integer(3), "");
        assertThat(MySQLNumberText.decimal(((Dec) product).value(), 4)).asString().isEqualTo("1.0000");
        assertThat(((Dec) product).value()).isEqualTo(new BigDecimal("0.999999999"));
    }

    @Test
    void nullAndDivisionByZeroGiveNull() {
        assertThat(MySQLArithmetic.binary('+', SqlValue.NULL, integer(1), "")).isEqualTo(SqlValue.NULL);
        assertThat(MySQLArithmetic.binary('/', integer(1), integer(0), "")).isEqualTo(SqlValue.NULL);
        assertThat(MySQLArithmetic.binary('/', new Dbl(1, 31), new Dbl(0, 31), "")).isEqualTo(SqlValue.NULL);
        assertThat(MySQLArithmetic.round(SqlValue.NULL, 2)).isEqualTo(SqlValue.NULL);
    }

    @Test
    void integersStayIntegersAndOverflowIsAnError() {
        assertThat(MySQLArithmetic.binary('*', integer(6), integer(7), "")).isEqualTo(integer(42));
        assertThatThrownBy(() -> MySQLArithmetic.binary('+', integer(Long.MAX_VALUE), integer(1), "a + 1"))
                .isInstanceOf(MergeException.class).hasMessage("BIGINT value is out of range in 'a + 1'");
        Int unsignedOne = new Int(BigInteger.ONE, true);
        assertThatThrownBy(() -> MySQLArithmetic.binary('-', unsignedOne, integer(2), "u - 2"))
                .isInstanceOf(MergeException.class).hasMessage("BIGINT UNSIGNED value is out of range in 'u - 2'");
    }

    @Test
    void roundingFollowsTheType() {
        // ROUND(2.345, 2) = 2.35 (half away from zero); ROUND of a 4-decimal value to 6 keeps 4
        assertThat(MySQLArithmetic.round(dec("2.345"), 2)).isEqualTo(dec("2.35"));
        assertThat(MySQLArithmetic.round(dec("-2.345"), 2)).isEqualTo(dec("-2.35"));
        assertThat(MySQLArithmetic.round(dec("0.6667"), 6)).isEqualTo(dec("0.6667"));
        // ROUND(2.5e0) = 2 and ROUND(3.5e0) = 4: rint rounds doubles half to even
        assertThat(MySQLArithmetic.round(new Dbl(2.5, 31), 0)).isEqualTo(new Dbl(2.0, 0));
        assertThat(MySQLArithmetic.round(new Dbl(3.5, 31), 0)).isEqualTo(new Dbl(4.0, 0));
        assertThat(MySQLArithmetic.round(integer(7), 2)).isEqualTo(integer(7));
    }

    @Test
    void aDoubleOrAStringOperandMakesADouble() {
        assertThat(MySQLArithmetic.binary('+', new Dbl(0.1, 31), dec("0.2"), "")).isEqualTo(new Dbl(0.30000000000000004, 31));
        SqlValue.Text text = new SqlValue.Text("2abc".getBytes(), java.util.Arrays::compareUnsigned, false);
        assertThat(MySQLArithmetic.binary('*', text, integer(3), "")).isEqualTo(new Dbl(6.0, 31));
    }
}
