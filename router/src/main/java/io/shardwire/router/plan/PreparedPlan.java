package io.shardwire.router.plan;

import io.shardwire.router.route.StatementRefusedException;
import java.util.List;

/**
 * A statement planned once, with its {@code ?}s open, to be {@link #bind bound} per execution
 * (a prepared statement, or once for a text-protocol query). Binding is serialised: a prepared
 * plan may be shared between threads, but binds one execution at a time.
 */
public final class PreparedPlan {

    /** Turns bound values into an execution; implementations may rewrite a shared AST, hence the lock in {@link #bind}. */
    interface Binder {
        ExecutionPlan bind(List<?> parameters) throws StatementRefusedException;
    }

    private final String sql;
    private final int parameterCount;
    private final Binder binder;

    PreparedPlan(String sql, int parameterCount, Binder binder) {
        this.sql = sql;
        this.parameterCount = parameterCount;
        this.binder = binder;
    }

    /** The client's statement. */
    public String sql() {
        return sql;
    }

    /** The number of {@code ?}s in the statement. */
    public int parameterCount() {
        return parameterCount;
    }

    /**
     * The execution for these values of the statement's {@code ?}s, in order (null for SQL NULL).
     *
     * @throws IllegalArgumentException  if the number of values is not {@link #parameterCount()}
     * @throws StatementRefusedException if these values make the statement one the router cannot answer
     *                                   exactly (e.g. a shard key value the algorithm cannot place)
     */
    public synchronized ExecutionPlan bind(List<?> parameters) throws StatementRefusedException {
        if (parameters.size() != parameterCount) {
            throw new IllegalArgumentException("parameters: " + parameters.size() + " (expected: " + parameterCount + ")");
        }
        return binder.bind(parameters);
    }

    /** Turns one statement's execution into another's, for the same values. */
    @FunctionalInterface
    interface Then {
        ExecutionPlan apply(ExecutionPlan plan, List<?> parameters) throws StatementRefusedException;
    }

    /**
     * The plan of statement {@code sql} that wraps this one (its EXPLAIN, a clause added to each node statement, a
     * check of the execution): bound to the same values, then turned by {@code then}.
     */
    PreparedPlan then(String sql, Then then) {
        return new PreparedPlan(sql, parameterCount, parameters -> then.apply(bind(parameters), parameters));
    }

    /** The execution of a statement without {@code ?}s. */
    public ExecutionPlan bind() throws StatementRefusedException {
        return bind(List.of());
    }
}
