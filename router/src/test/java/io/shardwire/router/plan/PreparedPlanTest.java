package io.shardwire.router.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.router.ShopConfig;
import io.shardwire.router.route.Route;
import io.shardwire.router.route.StatementRefusedException;
import io.shardwire.router.rule.DataNode;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PreparedPlanTest {

    private final AtomicLong keys = new AtomicLong(100);
    private final QueryPlanner planner = new QueryPlanner(ShopConfig.CONFIG, keys::incrementAndGet, MergeLimits.DEFAULT);

    @Test
    void onePlanBindsToDifferentNodesPerExecution() throws Exception {
        PreparedPlan prepared = planner.plan("SELECT * FROM orders WHERE customer_id = ?", "shop");

        assertThat(prepared.parameterCount()).isEqualTo(1);
        assertThat(prepared.bind(List.of(4L)).statements()).extracting(NodeStatement::node)
                .containsExactly(new DataNode("shop_0", "g0"));
        assertThat(prepared.bind(List.of(7L)).statements()).extracting(NodeStatement::node)
                .containsExactly(new DataNode("shop_3", "g1"));
        assertThatThrownBy(() -> prepared.bind(List.of())).hasMessage("parameters: 0 (expected: 1)");
    }

    /** As MariaDB reads a bound LIMIT; the proxy's prepare binds every parameter to NULL to describe the plan. */
    @Test
    void aBoundLimitOverSeveralNodesIsReadAsMariaDbReadsIt() throws Exception {
        PreparedPlan page = planner.plan("SELECT id FROM orders WHERE id > ? ORDER BY id LIMIT ?, ?", "shop");

        assertThat(limits(page.bind(Arrays.asList(0L, null, null)))).containsExactly("LIMIT 0", "0+0");
        assertThat(limits(page.bind(List.of(0L, "5", 10)))).containsExactly("LIMIT 15", "5+10");
        assertThat(limits(page.bind(List.of(0L, 5L, -1L)))).as("a negative count is read unsigned")
                .containsExactly("LIMIT " + Long.MAX_VALUE, "5+" + Long.MAX_VALUE);
        // Bound as DOUBLE (node's mysql2 binds every number so) or DECIMAL: a whole number is that integer.
        for (Object whole : List.of(10.0d, 10.0f, new java.math.BigDecimal("10.00"))) {
            assertThat(limits(page.bind(List.of(0L, 5L, whole)))).as(String.valueOf(whole))
                    .containsExactly("LIMIT 15", "5+10");
        }
        assertThat(limits(page.bind(List.of(0L, 5L, -1.0d)))).containsExactly("LIMIT " + Long.MAX_VALUE, "5+" + Long.MAX_VALUE);
        assertThat(limits(page.bind(List.of(0L, 5L, 1e30)))).containsExactly("LIMIT " + Long.MAX_VALUE, "5+" + Long.MAX_VALUE);
        for (Object refused : List.of(new java.math.BigDecimal("1.5"), "abc", 2.5d, Double.NaN)) {
            assertThatThrownBy(() -> page.bind(List.of(0L, 0L, refused))).as(String.valueOf(refused))
                    .isInstanceOf(StatementRefusedException.class)
                    .hasMessage("LIMIT " + refused + " over several data nodes (expected an integer)");
        }
    }

    /** The nodes' LIMIT clause and the merge's offset+count. */
    private static List<String> limits(ExecutionPlan plan) {
        String node = plan.statements().getFirst().sql();
        Limit limit = (Limit) plan.root();
        return List.of(node.substring(node.indexOf("LIMIT")), limit.offset() + "+" + limit.count());
    }

    @Test
    void aWriteKeepsItsTextPerNodeAcrossExecutions() throws Exception {
        PreparedPlan update = planner.plan("UPDATE orders SET status = ? WHERE customer_id = ?", "shop");
        PreparedPlan delete = planner.plan("DELETE FROM orders WHERE customer_id = ?", "shop");

        // Alternating nodes: each execute gets its own node's physical table, as a plan made afresh writes it.
        for (long customer : new long[] {4, 7, 4, 5, 7}) {
            List<Object> values = List.of("paid", customer);
            assertThat(update.bind(values).statements())
                    .isEqualTo(planner.plan("UPDATE orders SET status = ? WHERE customer_id = ?", "shop").bind(values)
                            .statements())
                    .singleElement().extracting(NodeStatement::sql).asString()
                    .contains("orders_" + customer % 4);
            assertThat(delete.bind(List.of(customer)).statements())
                    .isEqualTo(planner.plan("DELETE FROM orders WHERE customer_id = ?", "shop").bind(List.of(customer))
                            .statements());
        }
        assertThat(update.bind(List.of("paid", 7L)).statements().getFirst().sql())
                .isEqualTo("UPDATE `shop_3`.`orders_3` SET status = ? WHERE customer_id = ?");
    }

    @Test
    void insertsReportTheirGeneratedKeysInRowOrder() throws Exception {
        PreparedPlan prepared = planner.plan("INSERT INTO orders (customer_id) VALUES (?), (?)", "shop");

        ExecutionPlan first = prepared.bind(List.of(1L, 2L));
        ExecutionPlan second = prepared.bind(List.of(1L, 2L));

        assertThat(first.kind()).isEqualTo(ExecutionPlan.Kind.WRITE);
        assertThat(first.generatedKeys()).containsExactly(101L, 102L);
        assertThat(second.generatedKeys()).containsExactly(103L, 104L);
        assertThat(second.statements()).extracting(NodeStatement::sql).containsExactly(
                "INSERT INTO `shop_1`.`orders_1` (customer_id, id) VALUES (?, 103)",
                "INSERT INTO `shop_2`.`orders_2` (customer_id, id) VALUES (?, 104)");
        assertThat(second.statements()).extracting(NodeStatement::parameters).containsExactly(List.of(1L), List.of(2L));
    }

    @Test
    void aBoundValueThatCannotBePlacedIsRefusedAtBind() throws Exception {
        PreparedPlan prepared = planner.plan("INSERT INTO orders (id, customer_id) VALUES (1, ?)", "shop");

        assertThatThrownBy(() -> prepared.bind(List.of("x")))
                .isInstanceOfSatisfying(StatementRefusedException.class, e -> {
                    assertThat(e.construct()).isEqualTo(StatementRefusedException.Construct.UNPLACEABLE_SHARD_KEY);
                    assertThat(e.tables()).containsExactly("shop.orders");
                    assertThat(e.errorCode()).isEqualTo(1105);
                });
    }

    @Test
    void nullParametersAreBound() throws Exception {
        ExecutionPlan plan = planner.plan("UPDATE orders SET note = ? WHERE customer_id = ?", "shop").bind(Arrays.asList(null, 5L));

        assertThat(plan.statements()).singleElement().satisfies(s -> {
            assertThat(s.node()).isEqualTo(new DataNode("shop_1", "g0"));
            assertThat(s.parameters()).isEqualTo(Arrays.asList(null, 5L));
        });
    }

    @Test
    void schemaStatementsAreAnsweredLocallyAndOthersPassThrough() throws Exception {
        ExecutionPlan use = planner.plan("USE crm", "shop").bind();
        assertThat(use.kind()).isEqualTo(ExecutionPlan.Kind.LOCAL);
        assertThat(((LocalAnswer) use.root()).answer()).isEqualTo(new LocalAnswer.SchemaAnswer(new Route.UseSchema("crm")));

        ExecutionPlan set = planner.plan("SET NAMES utf8mb4", "shop").bind();
        assertThat(set.kind()).isEqualTo(ExecutionPlan.Kind.PASS_THROUGH);
        assertThat(set.statements()).singleElement().isEqualTo(new NodeStatement(new DataNode("shop", "g0"), "SET NAMES utf8mb4", List.of()));

        ExecutionPlan noSchema = planner.plan("SELECT 1", null).bind();
        assertThat(noSchema.statements()).singleElement().extracting(NodeStatement::node).isEqualTo(new DataNode(null, "g0"));
    }

    @Test
    void statementsThePlannerCannotReadKeepTheirPlaceholders() throws Exception {
        // JSqlParser 5.4 does not read MOD as an operator.
        PreparedPlan prepared = planner.plan("SELECT ? MOD 2 FROM archive WHERE note = 'what?' /* ? */", "shop");

        assertThat(prepared.parameterCount()).isEqualTo(1);
        assertThat(prepared.bind(List.of(3L)).statements()).singleElement()
                .extracting(NodeStatement::node).isEqualTo(new DataNode("shop", "g0"));
        assertThat(QueryPlanner.placeholders("SELECT '\\'?', \"?\", `?`, ? -- ?\n, ? # ?")).isEqualTo(2);
    }
}
