package io.shardwire.router.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import org.junit.jupiter.api.Test;

/** The expected names are those MariaDB 10.11 gave each statement's columns (Python's cursor.description). */
class ResultColumnNamesTest {

    /** The aliases after naming, unquoted; null for an item left to the node to name. */
    private static List<String> aliases(String sql) {
        Statement statement = new SqlStatementParser().parse(sql).orElseThrow();
        ResultColumnNames.alias(statement, sql);
        PlainSelect select = statement instanceof SetOperationList operations
                ? (PlainSelect) operations.getSelects().getFirst() : (PlainSelect) statement;
        List<String> aliases = new ArrayList<>();
        for (SelectItem<?> item : select.getSelectItems()) {
            aliases.add(item.getAlias() == null ? null : Identifiers.unquote(item.getAlias().getName()));
        }
        return aliases;
    }

    @Test
    void expressionsAreNamedAsWritten() {
        assertThat(aliases("SELECT id+1, COUNT( * ), sum( amount ), max(amount)+1, customer_id  +0,"
                + " if(id=1,'a','b'), id IN (1,2), DATE_FORMAT('2020-01-01','%Y') FROM orders"))
                .containsExactly("id+1", "COUNT( * )", "sum( amount )", "max(amount)+1", "customer_id  +0",
                        "if(id=1,'a','b')", "id IN (1,2)", "DATE_FORMAT('2020-01-01','%Y')");
    }

    /** After SELECT a comment before the item is left out; after a comma it is part of the name. */
    @Test
    void commentsBeforeAnItemAfterACommaAndInsideItAreKept() {
        assertThat(aliases("SELECT /* a */ 1+1, /* b */ 2+2,/*c*/3+3, -- x\n 4+4, 5+5 /* e */, 6 /* f */ + 6"))
                .containsExactly("1+1", "/* b */ 2+2", "/*c*/3+3", "-- x\n 4+4", "5+5", "6 /* f */ + 6");
        assertThat(aliases("SELECT DISTINCT /* a */ 1+1")).containsExactly("1+1");
    }

    @Test
    void positionsCountLinesAndTabsAsTheParserDoes() {
        assertThat(aliases("SELECT\n\t1 +\t1,\r\n  2+2, 'é😀'+0, 3+\r3, 4+4 FROM dual"))
                .containsExactly("1 +\t1", "2+2", "'é😀'+0", "3+\r3", "4+4");
    }

    @Test
    void itemsNamedByValueOrColumnAreLeftToTheNode() {
        assertThat(aliases("SELECT id, `id`, o.id, (id), ((id)), *, o.*, 'abc', _utf8mb4'x', N'y', NULL, tRUE,"
                + " 1.50, 1e3, (1), +1, (1e3) FROM orders o"))
                .containsOnlyNulls();
    }

    @Test
    void parenthesesAroundAnExpressionAndBitOrHexStringsAreNamedAsWritten() {
        assertThat(aliases("SELECT (id+1), ( id + 1 ), - 1, b'1', date '2020-01-01', ((select 1)), ( COUNT(*) ) FROM orders"))
                .containsExactly("(id+1)", "( id + 1 )", "- 1", "b'1'", "date '2020-01-01'", "((select 1))", "( COUNT(*) )");
    }

    @Test
    void aliasesStayAndASetOperationIsNamedByItsFirstSelect() {
        assertThat(aliases("SELECT id+1 AS next, id+2 FROM t UNION ALL SELECT id+3, id+4 FROM u"))
                .containsExactly("next", "id+2");
    }

    @Test
    void backquotesInTheTextAreDoubledInTheAlias() {
        Statement statement = new SqlStatementParser().parse("SELECT `id`+0 FROM t").orElseThrow();
        ResultColumnNames.alias(statement, "SELECT `id`+0 FROM t");
        assertThat(((PlainSelect) statement).getSelectItems().getFirst().getAlias().getName()).isEqualTo("```id``+0`");
    }

    /** MariaDB cut the name of 200 {@code 'é'} summands to 204 characters: 255 bytes in UTF-8. */
    @Test
    void longNamesAreCutAt255BytesOnACharacterBoundary() {
        String sum = String.join("+", java.util.Collections.nCopies(200, "'é'"));
        String name = aliases("SELECT " + sum).getFirst();
        assertThat(name).hasSize(204).isEqualTo(sum.substring(0, 204));
        String ones = String.join("+", java.util.Collections.nCopies(200, "1"));
        assertThat(aliases("SELECT " + ones).getFirst()).isEqualTo(ones.substring(0, 255));
    }
}
