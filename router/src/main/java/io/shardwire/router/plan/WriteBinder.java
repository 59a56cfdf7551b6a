package io.shardwire.router.plan;

import io.shardwire.router.rewrite.PhysicalSqlWriter;
import io.shardwire.router.route.ExecutionUnit;
import io.shardwire.router.route.RoutingAnalysis;
import io.shardwire.router.route.StatementRefusedException;
import io.shardwire.router.route.StatementRefusedException.Construct;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds an UPDATE, a DELETE, or an INSERT into a single or broadcast table: the same statement on each unit, its text
 * per set of physical tables written once and kept. Binds are serialised by {@link PreparedPlan}.
 */
final class WriteBinder implements PreparedPlan.Binder {

    private final String sql;
    private final RoutingAnalysis analysis;
    private final PhysicalSqlWriter writer;
    private final String limitedBy;
    private final List<String> conditions;
    private final KeptTexts texts = new KeptTexts();

    /** @param limitedBy "ORDER BY" or "LIMIT" if the statement has them (they cannot span nodes), else null */
    WriteBinder(String sql, RoutingAnalysis analysis, PhysicalSqlWriter writer, String limitedBy) {
        this.sql = sql;
        this.analysis = analysis;
        this.writer = writer;
        this.limitedBy = limitedBy;
        this.conditions = analysis.describeConditions();
    }

    @Override
    public ExecutionPlan bind(List<?> parameters) throws StatementRefusedException {
        RoutingAnalysis.Resolution resolution = analysis.resolve(parameters);
        List<ExecutionUnit> units = resolution.units();
        if (units.size() > 1 && limitedBy != null) {
            throw new StatementRefusedException(Construct.CROSS_NODE_LIMITED_WRITE, List.of(),
                    "UPDATE or DELETE with " + limitedBy + " over " + units.size()
                            + " data nodes cannot pick the same rows one server would");
        }
        List<NodeStatement> statements = new ArrayList<>(units.size());
        for (ExecutionUnit unit : units) {
            statements.add(QueryPlanner.statement(unit, texts.text(unit, writer), parameters));
        }
        NodeRoute route = new NodeRoute(QueryPlanner.variant(resolution.spread()), statements, conditions);
        return new ExecutionPlan(sql, ExecutionPlan.Kind.WRITE, route, route.statements(), List.of(), parameters);
    }
}
