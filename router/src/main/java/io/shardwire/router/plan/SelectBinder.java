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
 * A statement's text per set of physical tables is written once and kept (a prepared range read's
 * executes differ only in their parameters), except a rewrite whose node LIMIT each execution sets.
 * Binds are serialised by {@link PreparedPlan}, so the state kept between them needs no lock.
 */
final class SelectBinder implements PreparedPlan.Binder {

    private final String sql;
    private final RoutingAnalysis analysis;
    private final PhysicalSqlWriter asWritten;
    private final ScatterRewrite.Source scatterSource;
    private final MergeLimits limits;
    private final List<String> conditions;
    private final boolean writesNothing;
    /** The statement as written, per physical tables: a prepared statement's executes on one node reuse the text. */
    private final KeptTexts singleNodeTexts = new KeptTexts();
    /** The rewritten statement per physical tables, while its text is the same for every execution (no node LIMIT). */
    private final KeptTexts scatterTexts = new KeptTexts();
    private ScatterRewrite scatter;

    SelectBinder(String sql, RoutingAnalysis analysis, PhysicalSqlWriter asWritten, ScatterRewrite.Source scatterSource,
                 MergeLimits limits, boolean writesNothing) {
        this.sql = sql;
        this.writesNothing = writesNothing;
        this.analysis = analysis;
        this.asWritten = asWritten;
        this.scatterSource = scatterSource;
        this.limits = limits;
        this.conditions = analysis.describeConditions();
    }

    @Override
    public ExecutionPlan bind(List<?> parameters) throws StatementRefusedException {
        RoutingAnalysis.Resolution resolution = analysis.resolve(parameters);
        List<ExecutionUnit> units = resolution.units();
        NodeRoute.Variant variant = QueryPlanner.variant(resolution.spread());
        if (units.size() == 1) {
            ExecutionUnit unit = units.getFirst();
            NodeStatement statement = QueryPlanner.statement(unit, singleNodeText(unit), parameters);
            NodeRoute route = new NodeRoute(variant, List.of(statement), conditions);
            return new ExecutionPlan(sql, ExecutionPlan.Kind.QUERY, route, route.statements(), List.of(), parameters,
                    writesNothing);
        }
        if (scatter == null) {
            scatter = scatterSource.make();
        }
        if (scatter.unmergeable() != null) {
            throw scatter.unmergeable();
        }
        scatter.rewriter().applyLimit(parameters);
        List<NodeStatement> statements = new ArrayList<>();
        for (ExecutionUnit unit : units) {
            StatementText text = scatter.rewriter().limitsNodes()
                    ? scatter.writer().write(unit.tables()) : scatterTexts.text(unit, scatter.writer());
            statements.add(QueryPlanner.statement(unit, text, parameters));
        }
        NodeRoute route = new NodeRoute(variant, statements, conditions);
        PlanNode root = MergePlanBuilder.build(scatter.rewriter().spec(), route, parameters, limits);
        return new ExecutionPlan(sql, ExecutionPlan.Kind.QUERY, root, statements, List.of(), parameters, writesNothing);
    }

    private StatementText singleNodeText(ExecutionUnit unit) {
        return singleNodeTexts.text(unit, asWritten);
    }
}
