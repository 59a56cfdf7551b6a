package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CharsetStatementTest {

    @Test
    void setNamesChangesTheClientAndResultsCharsetsAndGoesToBackendsWithTheirClientAndResultsCharsetsKept() throws Exception {
        CharsetStatement names = CharsetStatement.parse("set names latin1 COLLATE 'latin1_bin';").orElseThrow();
        assertThat(names.clientCharset()).hasValue(Charset.forName("windows-1252"));
        assertThat(names.backendSql()).isEqualTo("SET NAMES latin1 COLLATE 'latin1_bin', character_set_client = utf8mb4,"
                + " character_set_results = NULL");
        assertThat(names.results()).isEqualTo("latin1");

        CharsetStatement utf8 = CharsetStatement.parse("SET NAMES 'utf8mb4'").orElseThrow();
        assertThat(utf8.clientCharset()).hasValue(StandardCharsets.UTF_8);
        assertThat(utf8.backendSql()).isEqualTo("SET NAMES 'utf8mb4', character_set_client = utf8mb4,"
                + " character_set_results = NULL");

        CharsetStatement characterSet = CharsetStatement.parse("SET CHARACTER SET ascii").orElseThrow();
        assertThat(characterSet.clientCharset()).hasValue(StandardCharsets.US_ASCII);
        assertThat(characterSet.backendSql()).isEqualTo("SET CHARACTER SET ascii, character_set_client = utf8mb4,"
                + " character_set_results = NULL");

        CharsetStatement reset = CharsetStatement.parse("SET NAMES DEFAULT").orElseThrow();
        assertThat(reset.clientCharsetDefault()).isTrue();
        assertThat(reset.clientCharset()).isEmpty();
        assertThat(reset.results()).isEqualTo("default");
    }

    /**
     * The results charset is the proxy's to convert to: a backend converting results would describe every text column
     * with that charset's collation, and merges would compare utf8mb4_bin columns case-insensitively.
     */
    @Test
    void theVariablesSplitIntoTheClientsAndTheBackends() throws Exception {
        CharsetStatement variables = CharsetStatement.parse(
                "SET character_set_results = NULL, @@session.collation_connection = utf8mb4_bin").orElseThrow();
        assertThat(variables.clientCharset()).isEmpty();
        assertThat(variables.clientCharsetDefault()).isFalse();
        assertThat(variables.results()).isEqualTo("null");
        assertThat(variables.backendSql()).isEqualTo("SET collation_connection = utf8mb4_bin");
        assertThat(CharsetStatement.parse("SET character_set_results = 'latin1'").orElseThrow())
                .extracting(CharsetStatement::results, CharsetStatement::backendSql).containsExactly("latin1", null);
        assertThatThrownBy(() -> CharsetStatement.parse("SET character_set_results = gbk"))
                .isInstanceOf(CharsetStatement.Refused.class).hasMessageStartingWith("SET character_set_results gbk");

        CharsetStatement client = CharsetStatement.parse("SET SESSION character_set_client = latin1").orElseThrow();
        assertThat(client.clientCharset()).hasValue(Charset.forName("windows-1252"));
        assertThat(client.backendSql()).as("the backends keep reading UTF-8 from the proxy").isNull();
    }

    @Test
    void otherAssignmentsOfTheListGoToTheBackendsWithTheCharsetOnesInTheirOrder() throws Exception {
        assertThat(CharsetStatement.parse("SET sql_mode = 'ANSI', character_set_results = NULL").orElseThrow().backendSql())
                .isEqualTo("SET sql_mode = 'ANSI'");
        CharsetStatement mixed = CharsetStatement.parse("SET character_set_client = latin1, sql_mode ="
                + " CONCAT(@@sql_mode, ',ANSI_QUOTES'), @a = 'x,y'").orElseThrow();
        assertThat(mixed.clientCharset()).hasValue(Charset.forName("windows-1252"));
        assertThat(mixed.backendSql()).isEqualTo("SET sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES'), @a = 'x,y'");

        // MariaDB Connector/J's statement at connect.
        CharsetStatement connect = CharsetStatement.parse("set sql_mode=CONCAT(@@sql_mode,',STRICT_TRANS_TABLES'),"
                + "NAMES utf8mb4 COLLATE utf8mb4_bin").orElseThrow();
        assertThat(connect.clientCharset()).hasValue(StandardCharsets.UTF_8);
        assertThat(connect.backendSql()).isEqualTo("SET sql_mode=CONCAT(@@sql_mode,',STRICT_TRANS_TABLES'), NAMES utf8mb4"
                + " COLLATE utf8mb4_bin, character_set_client = utf8mb4, character_set_results = NULL");
        CharsetStatement characterSet = CharsetStatement.parse("SET @a = 1, CHARACTER SET latin1").orElseThrow();
        assertThat(characterSet.clientCharset()).hasValue(Charset.forName("windows-1252"));
        assertThat(characterSet.backendSql()).isEqualTo("SET @a = 1, CHARACTER SET latin1, character_set_client = utf8mb4,"
                + " character_set_results = NULL");
        assertThatThrownBy(() -> CharsetStatement.parse("SET @a = 1, NAMES gbk")).isInstanceOf(CharsetStatement.Refused.class)
                .hasMessageStartingWith("SET NAMES gbk");
    }

    @Test
    void aCharsetVariableTheProxyCannotSplitIsRefusedNotSentToOneConnection() {
        for (String sql : new String[] {"SET GLOBAL character_set_client = latin1",
                "SET @@global.collation_connection = utf8mb4_bin, sql_mode = ''",
                "SET character_set_results = @@character_set_client", "SET NAMES utf8mb4 COLLATE @c, @a = 1"}) {
            assertThatThrownBy(() -> CharsetStatement.parse(sql)).as(sql).isInstanceOf(CharsetStatement.Refused.class)
                    .hasMessageContaining("in the session scope");
        }
    }

    @Test
    void otherStatementsAreNoneAndUnreadableClientCharsetsAreRefused() throws Exception {
        assertThat(CharsetStatement.parse("SET @x = 'collation'")).isEmpty();
        assertThat(CharsetStatement.parse("SET GLOBAL character_set_server = latin1")).isEmpty();
        assertThat(CharsetStatement.parse("SELECT 'SET NAMES latin1'")).isEmpty();
        assertThat(CharsetStatement.parse("SET character_set_connection = gbk")).map(CharsetStatement::backendSql)
                .isEqualTo(Optional.of("SET character_set_connection = gbk"));
        assertThatThrownBy(() -> CharsetStatement.parse("SET NAMES gbk"))
                .isInstanceOf(CharsetStatement.Refused.class)
                .hasMessage("SET NAMES gbk (Shardwire reads client statements in utf8mb4, utf8mb3, latin1 or ascii)");
        assertThatThrownBy(() -> CharsetStatement.parse("SET NAMES binary")).isInstanceOf(CharsetStatement.Refused.class);
    }
}
