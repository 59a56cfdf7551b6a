package io.shardwire.router.merge;

import static io.shardwire.router.merge.TestResults.UTF8MB4_BIN;
import static io.shardwire.router.merge.TestResults.UTF8MB4_GENERAL_CI;
import static io.shardwire.router.merge.TestResults.bigint;
import static io.shardwire.router.merge.TestResults.date;
import static io.shardwire.router.merge.TestResults.dbl;
import static io.shardwire.router.merge.TestResults.decimal;
import static io.shardwire.router.merge.TestResults.drain;
import static io.shardwire.router.merge.TestResults.integer;
import static io.shardwire.router.merge.TestResults.list;
import static io.shardwire.router.merge.TestResults.node;
import static io.shardwire.router.merge.TestResults.row;
import static io.shardwire.router.merge.TestResults.unsignedBigint;
import static io.shardwire.router.merge.TestResults.varchar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.router.ShopConfig;
import io.shardwire.router.plan.ExecutionPlan;
import io.shardwire.router.plan.MergeLimits;
import io.shardwire.router.plan.QueryPlanner;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Plans a statement over the four data nodes of {@code shop.yaml}, feeds the merge in-memory node
 * results shaped like the per-node SQL (derived columns included), and checks the rows a single
 * MariaDB holding all four nodes' rows would return.
 */
class ResultMergerTest {

    private final QueryPlanner planner = new QueryPlanner(ShopConfig.CONFIG, () -> 1L, new MergeLimits(3, 1 << 20));

    private ExecutionPlan plan(String sql, Object... params) throws Exception {
        return planner.plan(sql, "shop").bind(List.of(params));
    }

    @Test
    void orderByMergesSortedNodesWithNullsFirstAndStableTies() throws Exception {
        ExecutionPlan plan = plan("SELECT id, note FROM orders ORDER BY id");
        List<ResultColumn> columns = List.of(bigint("id"), varchar("note", UTF8MB4_BIN));

        MergedResult merged = ResultMerger.merge(plan, columns, List.of(
                node(row(null, "n0"), row("2", "a0"), row("10", "b0")),
                node(row("1", "a1"), row("2", "b1")),
                node(),
                node(row(null, "n3"), row("-5", "c3"))));

        assertThat(drain(merged)).containsExactly(list("NULL", "n0"), list("NULL", "n3"), list("-5", "c3"),
                list("1", "a1"), list("2", "a0"), list("2", "b1"), list("10", "b0"));
    }

    @Test
    void orderByDescendingOnUnsignedAndDerivedKeysDropsTheDerivedColumn() throws Exception {
        ExecutionPlan plan = plan("SELECT id FROM orders ORDER BY big DESC");
        List<ResultColumn> columns = List.of(bigint("id"), unsignedBigint("__sw_d0"));

        MergedResult merged = ResultMerger.merge(plan, columns, List.of(
                node(row("1", "18446744073709551615"), row("2", "1")),
                node(row("3", "9223372036854775808")),
                node(row("4", "9223372036854775807")),
                node()));

        assertThat(merged.columns()).containsExactly(bigint("id"));
        assertThat(drain(merged)).containsExactly(list("1"), list("3"), list("4"), list("2"));
    }

    @Test
    void stringsOrderByTheirCollation() throws Exception {
        ExecutionPlan plan = plan("SELECT name FROM orders ORDER BY name");
        MergedResult ci = ResultMerger.merge(plan, List.of(varchar("name", UTF8MB4_GENERAL_CI)), List.of(
                node(row("a"), row("C")), node(row("B"), row("é")), node(row("b ")), node()));
        assertThat(drain(ci)).containsExactly(list("a"), list("B"), list("b "), list("C"), list("é"));

        MergedResult bin = ResultMerger.merge(plan, List.of(varchar("name", 63)), List.of(
                node(row("a"), row("b")), node(row("B"), row("C")), node(), node()));
        assertThat(drain(bin)).containsExactly(list("B"), list("C"), list("a"), list("b"));
    }

    @Test
    void limitSkipsTheOffsetAfterTheMerge() throws Exception {
        ExecutionPlan plan = plan("SELECT id FROM orders ORDER BY id LIMIT 2, 3");
        assertThat(plan.statements().getFirst().sql()).endsWith("ORDER BY id LIMIT 5");

        MergedResult merged = ResultMerger.merge(plan, List.of(bigint("id")), List.of(
                node(row("1"), row("4"), row("7")), node(row("2"), row("5")), node(row("3"), row("6")), node()));

        assertThat(drain(merged)).containsExactly(list("3"), list("4"), list("5"));
    }

    @Test
    void aggregatesWithoutGroupByFollowMySqlTypes() throws Exception {
        ExecutionPlan plan = plan("SELECT COUNT(*), SUM(qty), MIN(total), MAX(total), AVG(total), AVG(qty), SUM(w), AVG(w) FROM orders");
        assertThat(plan.statements().getFirst().sql()).startsWith("SELECT COUNT(*), SUM(qty), MIN(total), MAX(total), "
                + "AVG(total), AVG(qty), SUM(w), AVG(w), SUM(total) AS __sw_d0, COUNT(total) AS __sw_d1, "
                + "SUM(qty) AS __sw_d2, COUNT(qty) AS __sw_d3, SUM(w) AS __sw_d4, COUNT(w) AS __sw_d5 FROM");
        List<ResultColumn> columns = List.of(bigint("COUNT(*)"), decimal("SUM(qty)", 0), decimal("MIN(total)", 2),
                decimal("MAX(total)", 2), decimal("AVG(total)", 6), decimal("AVG(qty)", 4), dbl("SUM(w)"), dbl("AVG(w)"),
                decimal("__sw_d0", 2), bigint("__sw_d1"), decimal("__sw_d2", 0), bigint("__sw_d3"), dbl("__sw_d4"), bigint("__sw_d5"));

        MergedResult merged = ResultMerger.merge(plan, columns, List.of(
                // Node 0: totals 1.50 and NULL, qty 1 and 2, w 0.1
                node(row("2", "3", "1.50", "1.50", "1.500000", "1.5000", "0.1", "0.1", "1.50", "1", "3", "2", "0.1", "1")),
                // Node 1: total 2.25, qty 1, w 0.2
                node(row("1", "1", "2.25", "2.25", "2.250000", "1.0000", "0.2", "0.2", "2.25", "1", "1", "1", "0.2", "1")),
                // Nodes 2 and 3: no rows
                node(row("0", null, null, null, null, null, null, null, null, "0", null, "0", null, "0")),
                node(row("0", null, null, null, null, null, null, null, null, "0", null, "0", null, "0"))));

        assertThat(merged.columns()).hasSize(8);
        // As MariaDB 11.4 prints them: AVG(total) = 3.75 / 2 with the column's 6 decimals, AVG(qty) = 4 / 3 with 4.
        assertThat(drain(merged)).containsExactly(
                list("3", "4", "1.50", "2.25", "1.875000", "1.3333", "0.30000000000000004", "0.15000000000000002"));
    }

    @Test
    void aggregatesOverNoRowsAreCountZeroAndNullElsewhere() throws Exception {
        ExecutionPlan plan = plan("SELECT COUNT(*), SUM(qty), COUNT(DISTINCT country) FROM orders");
        List<ResultColumn> columns = List.of(bigint("COUNT(*)"), decimal("SUM(qty)", 0), bigint("COUNT(DISTINCT country)"),
                varchar("__sw_d0", UTF8MB4_GENERAL_CI));

        MergedResult merged = ResultMerger.merge(plan, columns, List.of(node(), node(), node(), node()));

        assertThat(drain(merged)).containsExactly(list("0", "NULL", "0"));
    }

    @Test
    void countDistinctCountsValuesOnceAcrossNodesUnderTheCollation() throws Exception {
        ExecutionPlan plan = plan("SELECT status, COUNT(DISTINCT country) FROM orders GROUP BY status");
        List<ResultColumn> columns = List.of(varchar("status", UTF8MB4_BIN), bigint("COUNT(DISTINCT country)"),
                varchar("__sw_d0", UTF8MB4_GENERAL_CI));

        // Each node groups by (status, country) and sorts by them: one row per pair, count 1 (0 for a NULL country).
        MergedResult merged = ResultMerger.merge(plan, columns, List.of(
                node(row("new", "1", "de"), row("new", "1", "FR"), row("old", "0", null)),
                node(row("new", "1", "DE"), row("new", "1", "it")),
                node(row("old", "1", "fr")),
                node()));

        assertThat(drain(merged)).containsExactly(list("new", "3"), list("old", "1"));
    }

    @Test
    void countDistinctInMemoryWhenGroupsAreOrderedByTheCount() throws Exception {
        // Groups and distinct values both count against the cap: 2 groups + 3 values here.
        ExecutionPlan plan = new QueryPlanner(ShopConfig.CONFIG, () -> 1L, new MergeLimits(5, 1 << 20))
                .plan("SELECT status, COUNT(DISTINCT country) AS c FROM orders GROUP BY status ORDER BY c DESC", "shop").bind();
        List<ResultColumn> columns = List.of(varchar("status", UTF8MB4_BIN), bigint("c"), varchar("__sw_d0", UTF8MB4_GENERAL_CI));

        // The nodes' rows come in no particular order.
        MergedResult merged = ResultMerger.merge(plan, columns, List.of(
                node(row("old", "1", "fr"), row("new", "1", "de")),
                node(row("new", "1", "IT"), row("old", "1", "FR")),
                node(row("new", "1", "DE")),
                node()));

        assertThat(drain(merged)).containsExactly(list("new", "2"), list("old", "1"));
    }

    @Test
    void groupByStreamsWhenTheNodesSortByTheGroupKeys() throws Exception {
        ExecutionPlan plan = plan("SELECT status, COUNT(*), SUM(total) FROM orders GROUP BY status");
        List<ResultColumn> columns = List.of(varchar("status", UTF8MB4_GENERAL_CI), bigint("COUNT(*)"), decimal("SUM(total)", 2));

        MergedResult merged = ResultMerger.merge(plan, columns, List.of(
                node(row("a", "2", "3.00"), row("b", "1", null)),
                node(row("A", "1", "0.50"), row("c", "4", "1.25")),
                node(row(null, "1", "9.99")),
                node(row("B", "1", "2.00"))));

        // 'a' and 'A' are one group under general_ci; the group shows its first row's value.
        assertThat(drain(merged)).containsExactly(list("NULL", "1", "9.99"), list("a", "3", "3.50"),
                list("b", "2", "2.00"), list("c", "4", "1.25"));
    }

    @Test
    void groupByInMemorySortsGroupsByTheOrderByAndKeepsToItsCap() throws Exception {
        ExecutionPlan plan = plan("SELECT status, COUNT(*) AS n FROM orders GROUP BY status ORDER BY n DESC, status");
        List<ResultColumn> columns = List.of(varchar("status", UTF8MB4_BIN), bigint("n"));

        MergedResult merged = ResultMerger.merge(plan, columns, List.of(
                node(row("x", "1"), row("y", "5")), node(row("x", "3")), node(row("z", "4")), node()));
        assertThat(drain(merged)).containsExactly(list("y", "5"), list("x", "4"), list("z", "4"));

        MergedResult tooBig = ResultMerger.merge(plan, columns, List.of(
                node(row("a", "1"), row("b", "1")), node(row("c", "1"), row("d", "1")), node(), node()));
        assertThatThrownBy(tooBig::next).isInstanceOf(MergeException.class)
                .hasMessage("the in-memory merge of GROUP BY needs more than 3 rows (expected: <= maxMemoryMergeRows); "
                        + "narrow the query or raise the limit");
    }

    @Test
    void havingIsEvaluatedOnMergedGroups() throws Exception {
        ExecutionPlan plan = plan("SELECT status FROM orders GROUP BY status HAVING SUM(total) > ? AND COUNT(*) >= 2", 10);
        List<ResultColumn> columns = List.of(varchar("status", UTF8MB4_BIN), decimal("__sw_d0", 2), bigint("__sw_d1"));

        MergedResult merged = ResultMerger.merge(plan, columns, List.of(
                node(row("a", "6.00", "1"), row("b", "20.00", "1"), row("c", null, "5")),
                node(row("a", "5.00", "1"), row("d", "30.00", "3")),
                node(), node()));

        // a: 11.00 over 2 rows passes; b: one row; c: SUM NULL is not > 10; d passes.
        assertThat(drain(merged)).containsExactly(list("a"), list("d"));
    }

    @Test
    void distinctDropsRowsEqualUnderTheCollation() throws Exception {
        ExecutionPlan plan = plan("SELECT DISTINCT country FROM orders ORDER BY country");
        MergedResult merged = ResultMerger.merge(plan, List.of(varchar("country", UTF8MB4_GENERAL_CI)), List.of(
                node(row("de"), row("fr")), node(row("DE"), row("it")), node(row("FR")), node()));

        assertThat(drain(merged)).containsExactly(list("de"), list("fr"), list("it"));
    }

    @Test
    void distinctOverItsOwnSortOrderHoldsOneRowSoItPassesMoreRowsThanTheMemoryCap() throws Exception {
        ExecutionPlan plan = plan("SELECT DISTINCT status, country FROM orders ORDER BY country DESC, status");
        List<ResultColumn> columns = List.of(varchar("status", UTF8MB4_BIN), varchar("country", UTF8MB4_GENERAL_CI));

        MergedResult merged = ResultMerger.merge(plan, columns, List.of(
                node(row("a", "it"), row("b", "it"), row("a", "FR"), row("a", "de")),
                node(row("a", "IT"), row("a", "fr"), row("b", "fr"), row("a", "DE")),
                node(row("b", "It")), node()));

        // The cap is 3 rows: five distinct rows pass, since only the last one is held.
        assertThat(drain(merged)).containsExactly(list("a", "it"), list("b", "it"), list("a", "FR"), list("b", "fr"),
                list("a", "de"));
    }

    @Test
    void distinctOverAnotherOrderDropsDuplicatesThatAreNotAdjacent() throws Exception {
        ExecutionPlan plan = plan("SELECT DISTINCT status, country FROM orders ORDER BY country");
        List<ResultColumn> columns = List.of(varchar("status", UTF8MB4_BIN), varchar("country", UTF8MB4_BIN));

        MergedResult merged = ResultMerger.merge(plan, columns, List.of(
                node(row("a", "de"), row("b", "de")), node(row("a", "de")), node(), node()));

        // Sorted by country only, the two (a, de) rows are not neighbours: held rows still find the second.
        assertThat(drain(merged)).containsExactly(list("a", "de"), list("b", "de"));
    }

    @Test
    void oneNodePassesThroughByteExact() throws Exception {
        ExecutionPlan plan = plan("SELECT AVG(total), d FROM orders WHERE customer_id = 1 ORDER BY d");
        assertThat(plan.isSingleNode()).isTrue();
        MergedResult merged = ResultMerger.merge(plan, List.of(decimal("AVG(total)", 6), date("d")),
                List.of(node(row("1.000000", "0000-00-00"), row(null, "2024-01-05"))));

        assertThat(drain(merged)).containsExactly(list("1.000000", "0000-00-00"), list("NULL", "2024-01-05"));
    }

    @Test
    void enumSortKeysAreRefused() throws Exception {
        ExecutionPlan plan = plan("SELECT status FROM orders ORDER BY status");
        ResultColumn enumColumn = new ResultColumn("status", MySQLType.STRING.id(), ColumnFlag.ENUM.mask(), 0, 45, 20);

        assertThatThrownBy(() -> ResultMerger.merge(plan, List.of(enumColumn), List.of(node(), node(), node(), node())))
                .isInstanceOf(MergeException.class)
                .hasMessageContaining("ENUM or SET");
    }

    @Test
    void integerAverageOfNegativesRoundsAwayFromZero() throws Exception {
        ExecutionPlan plan = plan("SELECT AVG(qty) FROM orders");
        List<ResultColumn> columns = List.of(decimal("AVG(qty)", 4), decimal("__sw_d0", 0), bigint("__sw_d1"));

        MergedResult merged = ResultMerger.merge(plan, columns, List.of(
                node(row("-1.0000", "-2", "2")), node(row("-2.0000", "-2", "1")), node(row(null, null, "0")),
                node(row(null, null, "0"))));

        // -4 / 3 = -1.3333...
        assertThat(drain(merged)).containsExactly(list("-1.3333"));

        MergedResult half = ResultMerger.merge(plan, columns, List.of(
                node(row("0.0000", "1", "30")), node(row("0.0000", "0", "2")), node(row(null, null, "0")),
                node(row(null, null, "0"))));
        // 1 / 32 = 0.03125: half a unit of the 4th decimal rounds up, as MariaDB does.
        assertThat(drain(half)).containsExactly(list("0.0313"));
    }

    @Test
    void integersOfAllSizesSumExactly() throws Exception {
        ExecutionPlan plan = plan("SELECT SUM(big) FROM orders");
        MergedResult merged = ResultMerger.merge(plan, List.of(decimal("SUM(big)", 0)), List.of(
                node(row("18446744073709551615")), node(row("1")), node(row((String) null)), node(row("-3"))));

        assertThat(drain(merged)).containsExactly(list("18446744073709551613"));
        assertThat(integer("x").mysqlType()).isEqualTo(MySQLType.LONG);
    }

    @Test
    void expressionsOverAggregatesAreRecomputedWithMySqlDecimalDivision() throws Exception {
        ExecutionPlan plan = plan("SELECT SUM(total) / COUNT(*), AVG(qty) * 3, COUNT(*) + 1, MAX(qty) - MIN(qty), "
                + "ROUND(AVG(qty), 2) FROM orders");
        List<ResultColumn> columns = List.of(decimal("SUM(total) / COUNT(*)", 6), decimal("AVG(qty) * 3", 4),
                bigint("COUNT(*) + 1"), integer("MAX(qty) - MIN(qty)"), decimal("ROUND(AVG(qty), 2)", 2),
                decimal("__sw_d0", 2), bigint("__sw_d1"), decimal("__sw_d2", 4), decimal("__sw_d3", 0), bigint("__sw_d4"),
                integer("__sw_d5"), integer("__sw_d6"));
        assertThat(plan.statements().getFirst().sql()).startsWith("SELECT SUM(total) / COUNT(*), AVG(qty) * 3, COUNT(*) + 1, "
                + "MAX(qty) - MIN(qty), ROUND(AVG(qty), 2), SUM(total) AS __sw_d0, COUNT(*) AS __sw_d1, AVG(qty) AS __sw_d2, "
                + "SUM(qty) AS __sw_d3, COUNT(qty) AS __sw_d4, MAX(qty) AS __sw_d5, MIN(qty) AS __sw_d6 FROM");

        // The first five columns hold each node's partial values, which the merge replaces.
        MergedResult merged = ResultMerger.merge(plan, columns, List.of(
                node(row("9", "9", "9", "9", "9", "10.00", "2", "0.5000", "1", "2", "1", "0")),
                node(row("9", "9", "9", "9", "9", "0.01", "1", "1.0000", "1", "1", "1", "1")),
                node(row(null, null, "1", null, null, null, "0", null, null, "0", null, null)),
                node(row(null, null, "1", null, null, null, "0", null, null, "0", null, null))));

        // 10.01 / 3 holds 3.336666666 and shows 3.336667; AVG(qty) = 2 / 3 holds 0.666666666, so times 3 it is
        // 1.999999998 and shows 2.0000 (not 0.6667 * 3 = 2.0001); ROUND(AVG(qty), 2) rounds the full value.
        assertThat(drain(merged)).containsExactly(list("3.336667", "2.0000", "4", "1", "0.67"));
    }

    @Test
    void expressionsOverNoRowsFollowNullPropagation() throws Exception {
        ExecutionPlan plan = plan("SELECT COUNT(*) + 1, SUM(total) / COUNT(*) FROM orders");
        List<ResultColumn> columns = List.of(bigint("COUNT(*) + 1"), decimal("SUM(total) / COUNT(*)", 6),
                bigint("__sw_d0"), decimal("__sw_d1", 2));

        MergedResult merged = ResultMerger.merge(plan, columns, List.of(node(), node(), node(), node()));

        assertThat(drain(merged)).containsExactly(list("1", "NULL"));
    }

    @Test
    void doubleExpressionsAndDivisionByZero() throws Exception {
        ExecutionPlan plan = plan("SELECT SUM(w) / COUNT(*), ROUND(SUM(w) * 10, 2), SUM(total) / MIN(qty) FROM orders");
        List<ResultColumn> columns = List.of(dbl("SUM(w) / COUNT(*)"),
                new ResultColumn("ROUND(SUM(w) * 10, 2)", MySQLType.DOUBLE.id(), 0, 2, 63, 22), decimal("SUM(total) / MIN(qty)", 6),
                dbl("__sw_d0"), bigint("__sw_d1"), decimal("__sw_d2", 2), integer("__sw_d3"));

        MergedResult merged = ResultMerger.merge(plan, columns, List.of(
                node(row("0", "0", "0", "0.1", "1", "1.00", "0")),
                node(row("0", "0", "0", "0.2", "2", "2.00", "3")),
                node(row(null, null, null, null, "0", null, null)),
                node(row(null, null, null, null, "0", null, null))));

        // 0.1 + 0.2 is 0.30000000000000004 as a double; MIN(qty) = 0 makes the division NULL.
        assertThat(drain(merged)).containsExactly(list("0.10000000000000002", "3.00", "NULL"));
    }

    @Test
    void groupsAreOrderedByAnExpressionOverAggregatesAndHavingComparesItsFullValue() throws Exception {
        ExecutionPlan plan = plan("SELECT status, SUM(total) / COUNT(*) AS r FROM orders GROUP BY status "
                + "HAVING r < 3.3366667 ORDER BY MAX(total) - MIN(total) DESC");
        List<ResultColumn> columns = List.of(varchar("status", UTF8MB4_BIN), decimal("r", 6), decimal("__sw_d0", 2),
                bigint("__sw_d1"), decimal("__sw_d2", 2), decimal("__sw_d3", 2), decimal("__sw_d4", 2));

        MergedResult merged = ResultMerger.merge(plan, columns, List.of(
                node(row("a", "0", "10.00", "2", "0", "9.00", "1.00"), row("b", "0", "4.00", "1", "0", "4.00", "4.00")),
                node(row("a", "0", "0.01", "1", "0", "0.01", "0.01"), row("c", "0", "3.00", "1", "0", "3.00", "3.00")),
                node(row("b", "0", "1.00", "1", "0", "1.00", "1.00")),
                node()));

        // a: 10.01 / 3 = 3.336666666 passes (its column shows 3.336667, which would not); spread 8.99.
        // b: 2.500000000, spread 3.00; c: 3.000000000, spread 0.
        assertThat(drain(merged)).containsExactly(list("a", "3.336667"), list("b", "2.500000"), list("c", "3.000000"));
    }
}
