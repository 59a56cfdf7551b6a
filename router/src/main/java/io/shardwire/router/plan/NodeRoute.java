package io.shardwire.router.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The leaf of every plan: SQL for one or more data nodes. With several statements and no operator
 * above it, their results are concatenated (rows) or summed (update counts).
 *
 * @param variant    how the nodes were chosen
 * @param statements one per data node, in data node order
 * @param conditions the shard key conditions that chose them, e.g. {@code shop.orders: customer_id = ?1}
 */
public record NodeRoute(Variant variant, List<NodeStatement> statements, List<String> conditions) implements PlanNode {

    /** How a route picked its data nodes. */
    public enum Variant {
        /** No sharded table: the one node holding the single and broadcast tables (one copy of each). */
        UNSHARDED,
        /** The nodes the shard key conditions allow (possibly one). */
        BY_SHARD_KEY,
        /** Every data node of the table: the conditions do not narrow the shard key. */
        SCATTER,
        /** Every copy of a broadcast table, for a write. */
        ALL_COPIES,
        /** INSERT rows, each sent to the node its shard key value belongs to. */
        BY_ROW_KEY,
        /** Every physical database of a logical schema, for CREATE and DROP DATABASE. */
        ALL_DATABASES,
        /** A statement the planner does not take apart, passed to one node as written. */
        PASS_THROUGH
    }

    public NodeRoute {
        statements = List.copyOf(statements);
        conditions = List.copyOf(conditions);
    }

    @Override
    public PlanDescription describe() {
        List<String> details = new ArrayList<>(conditions);
        for (NodeStatement s : statements) {
            details.add(s.node() + ": " + s.sql() + (s.parameters().isEmpty() ? "" : " " + describe(s.parameters())));
        }
        return new PlanDescription("Route", variant.name(), details, List.of());
    }

    /** Bound values as descriptions show them: {@code [6, 'new', NULL]}. */
    private static String describe(List<?> parameters) {
        return parameters.stream()
                .map(p -> p == null ? "NULL" : p instanceof String s ? "'" + s.replace("'", "''") + "'" : p.toString())
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
