package io.shardwire.router.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.router.ShopConfig;
import io.shardwire.router.parse.TableReference;
import io.shardwire.router.rule.DataNode;
import io.shardwire.router.rule.PhysicalTable;
import io.shardwire.router.rule.ShardingRules;
import java.util.List;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import org.junit.jupiter.api.Test;

class RoutingAnalysisTest {

    private static final ShardingRules RULES = new ShardingRules(ShopConfig.CONFIG);

    private static RoutingAnalysis analysis(String sql) throws Exception {
        return ScopeAnalyzer.analyze(CCJSqlParserUtil.parse(sql), RULES, "shop").routing();
    }

    @Test
    void aPointReadResolvesEachExecuteToItsOwnNodeAndReusesTheResolutionOfANodeReachedBefore() throws Exception {
        RoutingAnalysis read = analysis("SELECT * FROM orders o JOIN countries c ON c.code = o.country WHERE o.customer_id = ?");

        RoutingAnalysis.Resolution first = read.resolve(List.of(4L));
        RoutingAnalysis.Resolution other = read.resolve(List.of(7L));
        RoutingAnalysis.Resolution again = read.resolve(List.of(8L));

        assertThat(first.units()).singleElement().satisfies(unit -> {
            assertThat(unit.node()).isEqualTo(new DataNode("shop_0", "g0"));
            assertThat(unit.tables().values()).extracting(PhysicalTable::node).containsOnly(new DataNode("shop_0", "g0"));
        });
        assertThat(other.units()).singleElement().satisfies(unit -> {
            assertThat(unit.node()).isEqualTo(new DataNode("shop_3", "g1"));
            assertThat(unit.tables().values()).extracting(PhysicalTable::node).containsOnly(new DataNode("shop_3", "g1"));
        });
        assertThat(first.spread()).isEqualTo(RoutingAnalysis.Spread.BY_SHARD_KEY);
        assertThat(again).isSameAs(first);
    }

    @Test
    void aReadOverSeveralNodesIsNotTakenForAPointRead() throws Exception {
        RoutingAnalysis read = analysis("SELECT * FROM orders WHERE customer_id IN (?, ?)");

        RoutingAnalysis.Resolution one = read.resolve(List.of(4L, 8L));
        RoutingAnalysis.Resolution two = read.resolve(List.of(4L, 7L));

        assertThat(one.units()).extracting(ExecutionUnit::node).containsExactly(new DataNode("shop_0", "g0"));
        assertThat(two.units()).extracting(ExecutionUnit::node)
                .containsExactly(new DataNode("shop_0", "g0"), new DataNode("shop_3", "g1"));
        assertThat(read.resolve(List.of(4L, 4L))).isSameAs(one);
    }

    @Test
    void aNodeWhoseServerLacksASingleTableIsRefusedAtEveryExecute() throws Exception {
        RoutingAnalysis read = analysis("SELECT * FROM orders o JOIN audit a ON a.order_id = o.id WHERE o.customer_id = ?");

        assertThat(read.resolve(List.of(3L)).units()).singleElement().satisfies(unit ->
                assertThat(unit.tables()).containsEntry(new TableReference("shop", "audit"),
                        new PhysicalTable(new DataNode("shop_3", "g1"), "audit")));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> read.resolve(List.of(4L)))
                    .isInstanceOfSatisfying(StatementRefusedException.class, e ->
                            assertThat(e.construct()).isEqualTo(StatementRefusedException.Construct.CROSS_SHARD_GROUP));
        }
    }
}
