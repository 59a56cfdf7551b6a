package io.shardwire.router.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlStatementParserTest {

    private final SqlStatementParser parser = new SqlStatementParser();

    private static String nested(int levels) {
        return "SELECT id FROM t WHERE id = " + "(".repeat(levels) + "1" + ")".repeat(levels);
    }

    @Test
    void parsesNestingUpToTheLimitAndLeavesDeeperStatementsUnparsed() {
        assertThat(parser.parse(nested(SqlStatementParser.MAX_NESTING))).isPresent();
        assertThat(parser.parse(nested(SqlStatementParser.MAX_NESTING + 1))).isEmpty();
        // Refused before parsing: parsing it kept a core busy for minutes.
        assertThat(parser.parse(nested(20_000))).isEmpty();
    }

    @Test
    void parenthesesInQuotesAreNotNesting() {
        String quoted = "SELECT id FROM t WHERE a = '" + "(".repeat(100) + "' AND b = \"((\\\"\" AND `((` = 1";
        assertThat(SqlStatementParser.nesting(quoted)).isZero();
        assertThat(SqlStatementParser.nesting("SELECT (1), ((2)), (3)")).isEqualTo(2);
        assertThat(parser.parse(quoted)).isPresent();
    }

    @Test
    void aConvertOfACallWithoutArgumentsIsLeftUnparsedSinceItWouldBeWrittenBackAsAName() {
        SqlStatementParser parser = new SqlStatementParser();
        assertThat(parser.parse("UPDATE t SET u = CONVERT(UUID(), CHAR) WHERE id = 1")).isEmpty();
        assertThat(parser.parse("SELECT convert( now ( ) , DATE)")).isEmpty();
        assertThat(parser.parse("SELECT CONVERT(UPPER(x), CHAR), CAST(NOW() AS DATE), CONVERT(x USING utf8mb4)")).isPresent();
    }
}
