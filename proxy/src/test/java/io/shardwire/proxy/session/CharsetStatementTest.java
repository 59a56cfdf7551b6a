package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CharsetStatementTest {

    @Test
    void setNamesChangesTheClientCharsetAndGoesToBackendsWithTheirClientCharsetKept() throws Exception {
        CharsetStatement names = CharsetStatement.parse("set names latin1 COLLATE 'latin1_bin';").orElseThrow();
        assertThat(names.clientCharset()).hasValue(Charset.forName("windows-1252"));
        assertThat(names.backendSql()).isEqualTo("SET NAMES latin1 COLLATE 'latin1_bin', character_set_client = utf8mb4");

        CharsetStatement utf8 = CharsetStatement.parse("SET NAMES 'utf8mb4'").orElseThrow();
        assertThat(utf8.clientCharset()).hasValue(StandardCharsets.UTF_8);
        assertThat(utf8.backendSql()).isEqualTo("SET NAMES 'utf8mb4', character_set_client = utf8mb4");

        CharsetStatement characterSet = CharsetStatement.parse("SET CHARACTER SET ascii").orElseThrow();
        assertThat(characterSet.clientCharset()).hasValue(StandardCharsets.US_ASCII);
        assertThat(characterSet.backendSql()).isEqualTo("SET CHARACTER SET ascii, character_set_client = utf8mb4");

        CharsetStatement reset = CharsetStatement.parse("SET NAMES DEFAULT").orElseThrow();
        assertThat(reset.clientCharsetDefault()).isTrue();
        assertThat(reset.clientCharset()).isEmpty();
    }

    @Test
    void theVariablesSplitIntoTheClientsAndTheBackends() throws Exception {
        CharsetStatement variables = CharsetStatement.parse(
                "SET character_set_results = NULL, @@session.collation_connection = utf8mb4_bin").orElseThrow();
        assertThat(variables.clientCharset()).isEmpty();
        assertThat(variables.clientCharsetDefault()).isFalse();
        assertThat(variables.backendSql())
                .isEqualTo("SET character_set_results = NULL, collation_connection = utf8mb4_bin");

        CharsetStatement client = CharsetStatement.parse("SET SESSION character_set_client = latin1").orElseThrow();
        assertThat(client.clientCharset()).hasValue(Charset.forName("windows-1252"));
        assertThat(client.backendSql()).as("the backends keep reading UTF-8 from the proxy").isNull();
    }

    @Test
    void otherStatementsAreNoneAndUnreadableClientCharsetsAreRefused() throws Exception {
        assertThat(CharsetStatement.parse("SET @x = 'collation'")).isEmpty();
        assertThat(CharsetStatement.parse("SET sql_mode = 'ANSI', character_set_results = NULL")).isEmpty();
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
