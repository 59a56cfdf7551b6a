package io.shardwire.router.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.router.ShopConfig;
import io.shardwire.router.route.StatementRefusedException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplainRendererTest {

    private final QueryPlanner planner = new QueryPlanner(ShopConfig.CONFIG, () -> 7L, MergeLimits.DEFAULT);

    @Test
    void explainReturnsTheOperatorsAndEachNodesSqlWithoutRunningAnything() throws Exception {
        ExecutionPlan plan = planner.plan("explain  Shardwire\n SELECT id FROM orders WHERE customer_id IN (?, 6) ORDER BY id LIMIT 2",
                "shop").bind(List.of(1L));

        assertThat(plan.kind()).isEqualTo(ExecutionPlan.Kind.LOCAL);
        assertThat(plan.statements()).isEmpty();
        ExplainRows rows = (ExplainRows) ((LocalAnswer) plan.root()).answer();
        assertThat(rows.columns()).containsExactly("step", "operator", "details", "data_node", "shard_group", "sql");
        assertThat(rows.rows()).containsExactly(
                Arrays.asList("1", "Limit", "offset: 0; count: 2", null, null, null),
                Arrays.asList("2", "  Sort / Merge", "keys: #0 ASC", null, null, null),
                Arrays.asList("3", "    Route / BY_SHARD_KEY", "shop.orders: customer_id IN (?1, 6)", "shop_1", "g0",
                        "SELECT id FROM `shop_1`.`orders_1` WHERE customer_id IN (?, 6) ORDER BY id LIMIT 2 -- [1]"),
                Arrays.asList("4", "    Route / BY_SHARD_KEY", "shop.orders: customer_id IN (?1, 6)", "shop_2", "g1",
                        "SELECT id FROM `shop_2`.`orders_2` WHERE customer_id IN (?, 6) ORDER BY id LIMIT 2 -- [1]"));
    }

    @Test
    void explainOfAnInsertShowsTheRowsPerNode() throws Exception {
        ExecutionPlan plan = planner.plan("EXPLAIN SHARDWIRE INSERT INTO customers (name) VALUES ('a')", "shop").bind();

        ExplainRows rows = (ExplainRows) ((LocalAnswer) plan.root()).answer();
        assertThat(rows.rows()).containsExactly(Arrays.asList("1", "Route / BY_ROW_KEY", null, "shop_3", "g1",
                "INSERT INTO `shop_3`.`customers` (name, id) VALUES ('a', 7)"));
    }

    @Test
    void explainOfARefusedStatementIsTheRefusal() {
        assertThatThrownBy(() -> planner.plan("EXPLAIN SHARDWIRE SELECT * FROM orders o JOIN customers c ON c.id = o.id", "shop").bind())
                .isInstanceOf(StatementRefusedException.class)
                .hasMessageContaining("not bound to each other");
    }

    @Test
    void onlyTheShardwireFormIsRecognised() {
        assertThat(ExplainRenderer.explained("EXPLAIN SELECT 1")).isEmpty();
        assertThat(ExplainRenderer.explained("EXPLAIN SHARDWIRE SELECT 1")).contains("SELECT 1");
    }
}
