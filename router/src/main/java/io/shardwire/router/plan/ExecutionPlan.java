package io.shardwire.router.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One execution of a statement: the SQL per data node and, above it, the operators that merge
 * the nodes' results. Produced by {@link PreparedPlan#bind}; immutable.
 *
 * @param sql           the client's statement
 * @param kind          what the proxy does with it
 * @param root          the plan tree: its {@link NodeRoute} leaf holds {@link #statements()}
 * @param statements    the SQL to run, one per data node, in data node order; empty for {@link Kind#LOCAL}
 * @param generatedKeys keys generated for an INSERT's rows, in row order (the first is the
 *                      statement's LAST_INSERT_ID); empty if none
 * @param parameters    the values bound to the client's {@code ?}s
 * @param writesNothing whether the statement provably changes no row: a SELECT that calls no stored function
 *                      ({@link io.shardwire.router.parse.WriteFreeSelects}); false when that is not known
 */
public record ExecutionPlan(String sql, Kind kind, PlanNode root, List<NodeStatement> statements,
                            List<Long> generatedKeys, List<?> parameters, boolean writesNothing) {

    /** What kind of answer the client expects. */
    public enum Kind {
        /** A result set: run the statements and merge their rows with {@code ResultMerger}. */
        QUERY,
        /** An OK packet: run the statements and add up their affected-row counts. */
        WRITE,
        /** Answered by the proxy from {@link LocalAnswer}: no data node is involved. */
        LOCAL,
        /** Anything else (DDL, SET, SHOW ...): run the one statement and relay the node's answer as it is. */
        PASS_THROUGH
    }

    /** A plan of which it is not known whether it writes. */
    public ExecutionPlan(String sql, Kind kind, PlanNode root, List<NodeStatement> statements, List<Long> generatedKeys,
                         List<?> parameters) {
        this(sql, kind, root, statements, generatedKeys, parameters, false);
    }

    public ExecutionPlan {
        statements = List.copyOf(statements);
        generatedKeys = List.copyOf(generatedKeys);
        parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
    }

    /** Whether the statement runs on exactly one data node, so its result passes through unmerged. */
    public boolean isSingleNode() {
        return statements.size() == 1;
    }

    /** The plan as text, one operator per line, inputs indented. */
    public String describe() {
        return root.describe().render();
    }
}
