package io.shardwire.router.plan;

import io.shardwire.router.route.RouteException;
import io.shardwire.router.route.StatementRefusedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans of text-protocol statements kept by their {@link QueryShape}, so that {@code SELECT c FROM t WHERE id = 7}
 * after {@code ... WHERE id = 5} is bound to a kept plan instead of parsed and planned again (parsing is most of a
 * text query's planning). A shape's plan is kept only once a statement of that shape showed that it gives exactly
 * what planning the statement itself gives: the same data node statements, byte for byte, once its values are
 * written back in, and no merge operator above them (nothing but the node statements may depend on the values).
 * Only reads and writes (not DDL, SET, pass-through...) and plans that generate no keys are kept; a shape found
 * unfit is remembered as such, so it costs one extra planning only once.
 *
 * <p>Least recently used shapes leave first, past {@code capacity}. Thread-safe: the plans are shared by every
 * session, and {@link PreparedPlan#bind} serialises their binds.
 */
final class TextPlanCache {

    /**
     * Statements longer than this are planned each time: a bound on the memory a kept plan (its parse tree) holds, as
     * Connector/J bounds its statement cache (prepStmtCacheSqlLimit).
     */
    static final int MAX_TEXT = 2048;

    /** Plans a statement: the planner's {@link QueryPlanner#plan}. */
    @FunctionalInterface
    interface Planning {
        PreparedPlan plan(String sql, String currentSchema) throws RouteException, StatementRefusedException;
    }

    private record Key(String schema, String text) {
    }

    /** A shape's kept plan, or none when the shape was found unfit. */
    private record Kept(PreparedPlan plan) {
    }

    private final Planning planning;
    private final Map<Key, Kept> entries;

    TextPlanCache(Planning planning, int capacity) {
        this.planning = planning;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Kept> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The execution of a text-protocol statement, as {@code planning.plan(sql, currentSchema).bind()} gives it. */
    ExecutionPlan plan(String sql, String currentSchema) throws RouteException, StatementRefusedException {
        QueryShape shape = shapeOf(sql);
        if (shape == null) {
            return planning.plan(sql, currentSchema).bind();
        }
        Key key = new Key(currentSchema, shape.text());
        Kept entry = lookUp(key);
        if (entry != null) {
            ExecutionPlan kept = bound(sql, shape, entry);
            return kept != null ? kept : planning.plan(sql, currentSchema).bind();
        }
        PreparedPlan original = planning.plan(sql, currentSchema);
        ExecutionPlan fresh = original.bind();
        // A statement without values is its own shape: its plan needs no check against itself.
        PreparedPlan keep = shape.values().isEmpty() ? (keepable(fresh) ? original : null)
                : shaped(shape, currentSchema, fresh);
        Kept learned = new Kept(keep);
        synchronized (entries) {
            entries.put(key, learned);
        }
        return fresh;
    }

    /**
     * The execution of a text-protocol statement from the kept plan of its shape, as {@link #plan} gives it; empty
     * when no fit plan is kept for it (or its values are refused), without planning anything.
     */
    Optional<ExecutionPlan> kept(String sql, String currentSchema) {
        QueryShape shape = shapeOf(sql);
        Kept entry = shape == null ? null : lookUp(new Key(currentSchema, shape.text()));
        if (entry == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(bound(sql, shape, entry));
        } catch (StatementRefusedException e) {
            return Optional.empty();
        }
    }

    /** The statement's execution from its shape's kept plan; null when the shape was found unfit, or these values are. */
    private static ExecutionPlan bound(String sql, QueryShape shape, Kept entry) throws StatementRefusedException {
        return entry.plan() == null ? null : withValues(sql, entry.plan().bind(shape.values()));
    }

    private static QueryShape shapeOf(String sql) {
        return sql.length() > MAX_TEXT ? null : QueryShape.of(sql).orElse(null);
    }

    private Kept lookUp(Key key) {
        synchronized (entries) {
            return entries.get(key);
        }
    }

    /** Shapes kept now, fit or not. */
    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** The shape's plan if it gives exactly {@code fresh} for the statement's own values, else null. */
    private PreparedPlan shaped(QueryShape shape, String currentSchema, ExecutionPlan fresh) {
        if (!keepable(fresh)) {
            return null;
        }
        try {
            PreparedPlan plan = planning.plan(shape.text(), currentSchema);
            if (plan.parameterCount() != shape.values().size()) {
                return null;
            }
            ExecutionPlan bound = withValues(fresh.sql(), plan.bind(shape.values()));
            return bound != null && bound.kind() == fresh.kind()
                    && bound.writesNothing() == fresh.writesNothing()
                    && ((NodeRoute) bound.root()).variant() == ((NodeRoute) fresh.root()).variant()
                    && bound.statements().equals(fresh.statements()) ? plan : null;
        } catch (RouteException | StatementRefusedException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether a plan may be kept: a read or write of node statements alone, with no keys generated. */
    private static boolean keepable(ExecutionPlan plan) {
        return (plan.kind() == ExecutionPlan.Kind.QUERY || plan.kind() == ExecutionPlan.Kind.WRITE)
                && plan.root() instanceof NodeRoute && plan.generatedKeys().isEmpty();
    }

    /**
     * The execution with the shape's values written into its node statements in place of their {@code ?}s, as
     * planning the statement itself writes them; null if a value is not one the shape took out, or the values gave
     * the plan an operator above its node statements.
     */
    private static ExecutionPlan withValues(String sql, ExecutionPlan plan) {
        if (!keepable(plan)) {
            return null;
        }
        List<NodeStatement> statements = new ArrayList<>(plan.statements().size());
        for (NodeStatement statement : plan.statements()) {
            if (!statement.parameters().stream().allMatch(Placeholders::inlinable)) {
                return null;
            }
            statements.add(new NodeStatement(statement.node(), Placeholders.inline(statement.sql(), statement.parameters()),
                    List.of()));
        }
        NodeRoute route = (NodeRoute) plan.root();
        return new ExecutionPlan(sql, plan.kind(), new NodeRoute(route.variant(), statements, route.conditions()),
                statements, plan.generatedKeys(), List.of(), plan.writesNothing());
    }
}
