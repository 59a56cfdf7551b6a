package io.shardwire.router.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import io.shardwire.router.parse.SqlStatementParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.select.PlainSelect;
import org.junit.jupiter.api.Test;

class SqlLiteralsTest {

    @Test
    void literalsBecomeJavaValues() throws Exception {
        assertThat(value("42")).isEqualTo(42L);
        assertThat(value("-42")).isEqualTo(-42L);
        assertThat(value("18446744073709551615")).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(value("1.50")).isEqualTo(new BigDecimal("1.50"));
        assertThat(value("-1.5")).isEqualTo(new BigDecimal("-1.5"));
        assertThat(value("'it''s'")).isEqualTo("it's");
        assertThat(value("'a\\'b\\n'")).isEqualTo("a'b\n");
        assertThat(value("'50\\%'")).isEqualTo("50\\%");
        assertThat(value("DATE '2024-01-05'")).isEqualTo(LocalDate.of(2024, 1, 5));
        assertThat(value("TIMESTAMP '2024-01-05 10:00:00'")).isEqualTo(LocalDateTime.of(2024, 1, 5, 10, 0));
        assertThat(value("NULL")).isNull();
        assertThat(value("TRUE")).isEqualTo(1L);
    }

    @Test
    void nonConstantsAreNotValues() throws Exception {
        assertThat(SqlLiterals.valueOf(CCJSqlParserUtil.parseExpression("a + 1"))).isEmpty();
        assertThat(SqlLiterals.valueOf(CCJSqlParserUtil.parseExpression("0x41"))).isEmpty();
        assertThat(SqlLiterals.valueOf(CCJSqlParserUtil.parseExpression("NOW()"))).isEmpty();
    }

    private static Object value(String sql) throws Exception {
        PlainSelect select = (PlainSelect) new SqlStatementParser().parse("SELECT " + sql).orElseThrow();
        return SqlLiterals.valueOf(select.getSelectItems().getFirst().getExpression()).orElseThrow().resolve(List.of());
    }
}
