package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatementSplitterTest {

    private static List<String> split(String text) {
        return StatementSplitter.split(text).stream().map(StatementSplitter.Part::sql).toList();
    }

    @Test
    void aTextWithoutSeparatingSemicolonIsOneStatement() {
        assertThat(split("SELECT 1")).containsExactly("SELECT 1");
        assertThat(split("SELECT 1;")).containsExactly("SELECT 1");
        assertThat(split("SELECT 1;  ;  \n")).containsExactly("SELECT 1");
        assertThat(split(" ; ")).hasSize(1);
    }

    @Test
    void semicolonsSeparateStatementsOutsideQuotesAndComments() {
        assertThat(split("SELECT 1; SELECT 2")).containsExactly("SELECT 1", " SELECT 2");
        assertThat(split("SELECT 'a;b', \"c;d\", `e;f` FROM t;SELECT 'it\\'s;';"))
                .containsExactly("SELECT 'a;b', \"c;d\", `e;f` FROM t", "SELECT 'it\\'s;'");
        assertThat(split("/* a; */ SELECT ';' ; # x;\n SELECT 4"))
                .containsExactly("/* a; */ SELECT ';' ", " # x;\n SELECT 4");
        assertThat(split("SELECT 1 -- c; d\n; SELECT 2")).containsExactly("SELECT 1 -- c; d\n", " SELECT 2");
        assertThat(split("SELECT 1 # c ; SELECT 2\n")).containsExactly("SELECT 1 # c ; SELECT 2\n");
        // "--" without a blank after it is two minus signs, not a comment.
        assertThat(split("SELECT 1--1; SELECT 2")).containsExactly("SELECT 1--1", " SELECT 2");
    }

    @Test
    void anExecutableCommentsContentIsCode() {
        assertThat(split("SELECT 1;/*!40101 SELECT 5 */")).containsExactly("SELECT 1", "/*!40101 SELECT 5 */");
        assertThat(split("/*!40101 SET @a = 1; SET @b = 2 */")).containsExactly("/*!40101 SET @a = 1", " SET @b = 2 */");
    }

    @Test
    void emptyAndCommentOnlyStatementsAreKeptForTheCallerToAnswer() {
        List<StatementSplitter.Part> parts = StatementSplitter.split("SELECT 1;;SELECT 2");
        assertThat(parts).extracting(StatementSplitter.Part::sql).containsExactly("SELECT 1", "", "SELECT 2");
        assertThat(parts.get(1).commentsOnly()).isTrue();
        assertThat(StatementSplitter.split("SELECT 1; -- c").getLast().commentsOnly()).isTrue();
        assertThat(StatementSplitter.split("SELECT 1; /*!40101 SELECT 5 */").getLast().commentsOnly()).isFalse();
        // MariaDB skips a comment for MySQL 5.7 and later.
        assertThat(StatementSplitter.split("SELECT 1; /*!99999 SELECT 5 */").getLast().commentsOnly()).isTrue();
    }

    @Test
    void aStoredProgramsDefinitionTakesTheRestOfTheText() {
        assertThat(split("CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END"))
                .containsExactly("CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END");
        assertThat(split("DROP PROCEDURE IF EXISTS p; CREATE DEFINER=`a`@`%` PROCEDURE p() BEGIN SELECT 1; END;"))
                .containsExactly("DROP PROCEDURE IF EXISTS p", " CREATE DEFINER=`a`@`%` PROCEDURE p() BEGIN SELECT 1; END;");
        assertThat(split("create or replace trigger t before insert on x for each row begin set new.a = 1; end"))
                .hasSize(1);
        assertThat(split("BEGIN NOT ATOMIC SELECT 1; SELECT 2; END")).hasSize(1);
        assertThat(split("IF @a THEN SELECT 1; END IF")).hasSize(1);
        // BEGIN alone starts a transaction.
        assertThat(split("BEGIN; SELECT 1; COMMIT")).containsExactly("BEGIN", " SELECT 1", " COMMIT");
    }

    @Test
    void theSyntaxErrorQuotesTheTextFromTheStatementsFirstWordAndNamesItsLine() {
        String text = "SELECT 1;\n /* c */ SELECT x FROM nosuch; SELECT 3";
        SessionError error = StatementSplitter.syntaxErrorAt(text, StatementSplitter.split(text).get(1));
        assertThat(error.code()).isEqualTo(1064);
        assertThat(error.sqlState()).isEqualTo("42000");
        assertThat(error.message()).isEqualTo("You have an error in your SQL syntax; check the manual that corresponds "
                + "to your MariaDB server version for the right syntax to use near 'SELECT x FROM nosuch; SELECT 3' at line 2");

        String empty = "SELECT 1; /* c */ ; SELECT 2";
        assertThat(StatementSplitter.syntaxErrorAt(empty, StatementSplitter.split(empty).get(1)).message())
                .endsWith("near '; SELECT 2' at line 1");

        String longer = "SELECT 1; SELECT '" + "x".repeat(200) + "'";
        assertThat(StatementSplitter.syntaxErrorAt(longer, StatementSplitter.split(longer).get(1)).message())
                .endsWith("near 'SELECT '" + "x".repeat(72) + "' at line 1");
    }
}
