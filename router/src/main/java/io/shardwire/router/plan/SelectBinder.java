package io.shardwire.router.plan;

import io.shardwire.router.rewrite.PhysicalSqlWriter;
import io.shardwire.router.rewrite.SelectRewriter;
import io.shardwire.router.rewrite.StatementText;
import io.shardwire.router.route.ExecutionUnit;
import io.shardwire.router.route.RoutingAnalysis;
import io.shardwire.router.route.StatementRefusedException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds a SELECT. One node runs the statement as written (physical names aside); several run the
 * {@link SelectRewriter rewritten} statement under the merge operators its {@code MergeSpec} calls for.
 */
final class SelectBinder implements PreparedPlan.Binder {

    private final String sql;
    private final RoutingAnalysis analysis;
    private final PhysicalSqlWriter asWritten;
    private final SelectRewriter rewriter;
    private final PhysicalSqlWriter rewritten;
    private final StatementRefusedException unmergeable;
    private final MergeLimits limits;

    /**
     * @param rewriter    the rewrite for several nodes, or null if {@code unmergeable}
     * @param rewritten   the writer of the rewritten statement, or null
     * @param unmergeable why the statement cannot run on several nodes, or null
     */
    SelectBinder(String sql, RoutingAnalysis analysis, PhysicalSqlWriter asWritten, SelectRewriter rewriter,
                 PhysicalSqlWriter rewritten, StatementRefusedException unmergeable, MergeLimits limits) {
        this.sql = sql;
        this.analysis = analysis;
        this.asWritten = asWritten;
        this.rewriter = rewriter;
        this.rewritten = rewritten;
        this.unmergeable = unmergeable;
        this.limits = limits;
    }

    @Override
    public ExecutionPlan bind(List<?> parameters) throws StatementRefusedException {
        RoutingAnalysis.Resolution resolution = analysis.resolve(parameters);
        List<ExecutionUnit> units = resolution.units();
        NodeRoute.Variant variant = QueryPlanner.variant(resolution.spread());
        if (units.size() == 1) {
            NodeStatement statement = QueryPlanner.statement(units.getFirst(), asWritten.write(units.getFirst().tables()), parameters);
            NodeRoute route = new NodeRoute(variant, List.of(statement), analysis.describeConditions());
            return new ExecutionPlan(sql, ExecutionPlan.Kind.QUERY, route, route.statements(), List.of(), parameters);
        }
        if (unmergeable != null) {
            throw unmergeable;
        }
        rewriter.applyLimit(parameters);
        List<NodeStatement> statements = new ArrayList<>();
        for (ExecutionUnit unit : units) {
            StatementText text = rewritten.write(unit.tables());
            statements.add(QueryPlanner.statement(unit, text, parameters));
        }
        NodeRoute route = new NodeRoute(variant, statements, analysis.describeConditions());
        PlanNode root = MergePlanBuilder.build(rewriter.spec(), route, parameters, limits);
        return new ExecutionPlan(sql, ExecutionPlan.Kind.QUERY, root, statements, List.of(), parameters);
    }
}
