package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SessionSetsTest {

    private static List<String> after(String... sets) {
        SessionSets kept = SessionSets.NONE;
        for (String set : sets) {
            kept = kept.with(set);
        }
        return kept.statements();
    }

    @Test
    void aSetOfConstantsReplacesTheEarlierSetOfTheSameVariables() {
        SessionSets kept = SessionSets.NONE;
        for (int request = 0; request < 1000; request++) {
            kept = kept.with("SET @request_id = " + request);
        }
        assertThat(kept.statements()).containsExactly("SET @request_id = 999");
        assertThat(after("SET time_zone = '+01:00'", "set @@session.TIME_ZONE='+02:00'"))
                .containsExactly("set @@session.TIME_ZONE='+02:00'");
        assertThat(after("SET @a = 1, @b = 'x'", "SET @A := -2.5e3, @b = NULL, @c = 0x1f"))
                .containsExactly("SET @A := -2.5e3, @b = NULL, @c = 0x1f");
        assertThat(after("SET @a = 1", "SET @b = 2", "SET @a = 3;"))
                .containsExactly("SET @b = 2", "SET @a = 3;");
    }

    @Test
    void anEarlierSetOfMoreVariablesStays() {
        assertThat(after("SET @a = 1, @b = 2", "SET @a = 3")).containsExactly("SET @a = 1, @b = 2", "SET @a = 3");
        assertThat(after("SET SESSION sql_mode = 'ANSI'", "SET GLOBAL sql_mode = 'ANSI'"))
                .containsExactly("SET SESSION sql_mode = 'ANSI'", "SET GLOBAL sql_mode = 'ANSI'");
    }

    @Test
    void aSetThatReadsAVariableKeepsWhatItMayRead() {
        // @b = @a must still see the first @a on a connection that replays the list.
        assertThat(after("SET @a = 1", "SET @b = @a", "SET @a = 2"))
                .containsExactly("SET @a = 1", "SET @b = @a", "SET @a = 2");
        assertThat(after("SET @a = 1", "SET @b = f()", "SET @a = 2"))
                .containsExactly("SET @a = 1", "SET @b = f()", "SET @a = 2");
        // A SET that reads something is not one of constants, so it replaces nothing ...
        assertThat(after("SET @a = 1", "SET @a = @a + 1")).containsExactly("SET @a = 1", "SET @a = @a + 1");
        assertThat(after("SET @t = 1", "SET @t = NOW()")).containsExactly("SET @t = 1", "SET @t = NOW()");
        // ... but is itself replaced by a later SET of constants.
        assertThat(after("SET @a = 1", "SET @a = @a + 1", "SET @a = 7")).containsExactly("SET @a = 7");
        assertThat(after("SET @a = 1", "SET @a = -(@@sort_buffer_size * 2) % 3", "SET @a = 7")).containsExactly("SET @a = 7");
    }

    @Test
    void aSetThatMayChangeMoreThanItNamesIsNeverReplaced() {
        // An assignment inside the value, or a stored function that assigns user variables: @b would be lost.
        assertThat(after("SET @a = (@b := 5)", "SET @a = 1")).containsExactly("SET @a = (@b := 5)", "SET @a = 1");
        assertThat(after("SET @a = f()", "SET @a = 1")).containsExactly("SET @a = f()", "SET @a = 1");
        assertThat(after("SET @a = f(1, x = 2)", "SET @a = 1, x = 3")).containsExactly("SET @a = f(1, x = 2)", "SET @a = 1, x = 3");
        String chained = "SET @a = " + "1+@b+".repeat(5000) + "f()";
        assertThat(after(chained, "SET @a = 1")).containsExactly(chained, "SET @a = 1");
    }

    @Test
    void aSetThatChangesHowLiteralsAreReadIsReplacedOnlyByTheNextSet() {
        // Replayed without the first sql_mode, the '"x"' in between would be read under the one before it.
        assertThat(after("SET sql_mode = 'ANSI_QUOTES'", "SET @s = 'x'", "SET sql_mode = ''"))
                .containsExactly("SET sql_mode = 'ANSI_QUOTES'", "SET @s = 'x'", "SET sql_mode = ''");
        assertThat(after("SET sql_mode = 'ANSI_QUOTES'", "SET sql_mode = ''")).containsExactly("SET sql_mode = ''");
        assertThat(after("SET time_zone = '+01:00'", "SET @s = 'x'", "SET time_zone = '+02:00'"))
                .containsExactly("SET @s = 'x'", "SET time_zone = '+02:00'");
    }

    @Test
    void quotedValuesAreReadWhole() {
        assertThat(after("SET @a = 'x\\', @b = 5'", "SET @b = 6")).containsExactly("SET @a = 'x\\', @b = 5'", "SET @b = 6");
        assertThat(after("SET @a = 'it''s, fine'", "SET @a = \"a,b\"")).containsExactly("SET @a = \"a,b\"");
    }

    @Test
    void userVariablesAreTold() {
        assertThat(SessionSets.NONE.with("SET sql_mode = ''").setUserVariables()).isFalse();
        assertThat(SessionSets.NONE.with("SET @@session.sql_mode = ''").setUserVariables()).isFalse();
        assertThat(SessionSets.NONE.with("SET @id = 1").with("SET sql_mode = ''").setUserVariables()).isTrue();
    }
}
