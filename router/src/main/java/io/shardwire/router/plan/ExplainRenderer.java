package io.shardwire.router.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code EXPLAIN SHARDWIRE <statement>}: the plan of one execution as rows, without running it.
 * One row per operator, indented by depth, and one row per data node statement of the route, with
 * the node's database, shard group, SQL and bound values. A pure function of the plan.
 */
public final class ExplainRenderer {

    /** The result set's columns. */
    public static final List<String> COLUMNS = List.of("step", "operator", "details", "data_node", "shard_group", "sql");

    // EXPLAIN, SHARDWIRE, then the statement; comments or other EXPLAIN forms are the backend's business.
    private static final Pattern PREFIX = Pattern.compile("(?is)\\s*EXPLAIN\\s+SHARDWIRE\\s+(.+)");

    private ExplainRenderer() {
    }

    /** The statement an {@code EXPLAIN SHARDWIRE} asks about, if {@code sql} is one. */
    public static Optional<String> explained(String sql) {
        Matcher m = PREFIX.matcher(sql);
        return m.matches() ? Optional.of(m.group(1).strip()) : Optional.empty();
    }

    /** The plan as rows of {@link #COLUMNS}. */
    public static ExplainRows render(ExecutionPlan plan) {
        List<List<String>> rows = new ArrayList<>();
        add(plan.root(), 0, rows);
        return new ExplainRows(COLUMNS, rows);
    }

    private static void add(PlanNode node, int depth, List<List<String>> rows) {
        PlanDescription d = node.describe();
        String operator = "  ".repeat(depth) + d.operator() + (d.variant().isEmpty() ? "" : " / " + d.variant());
        if (node instanceof NodeRoute route) {
            String conditions = route.conditions().isEmpty() ? null : String.join("; ", route.conditions());
            for (NodeStatement s : route.statements()) {
                String sql = s.sql() + (s.parameters().isEmpty() ? "" : " -- " + Arrays.toString(s.parameters().toArray()));
                rows.add(row(rows.size() + 1, operator, conditions, s.node().database(), s.node().shardGroup(), sql));
            }
            if (route.statements().isEmpty()) {
                rows.add(row(rows.size() + 1, operator, conditions, null, null, null));
            }
            return;
        }
        rows.add(row(rows.size() + 1, operator, d.details().isEmpty() ? null : String.join("; ", d.details()), null, null, null));
        switch (node) {
            case MergeSort n -> add(n.input(), depth + 1, rows);
            case OrderedAggregate n -> add(n.input(), depth + 1, rows);
            case MemoryAggregate n -> add(n.input(), depth + 1, rows);
            case Distinct n -> add(n.input(), depth + 1, rows);
            case HavingFilter n -> add(n.input(), depth + 1, rows);
            case Limit n -> add(n.input(), depth + 1, rows);
            case Projection n -> add(n.input(), depth + 1, rows);
            case NodeRoute n -> {
            }
            case LocalAnswer n -> {
            }
        }
    }

    private static List<String> row(int step, String operator, String details, String database, String group, String sql) {
        return Arrays.asList(Integer.toString(step), operator, details, database, group, sql);
    }
}
