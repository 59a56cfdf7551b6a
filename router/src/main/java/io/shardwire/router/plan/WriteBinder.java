package io.shardwire.router.plan;

import io.shardwire.router.rewrite.PhysicalSqlWriter;
import io.shardwire.router.route.ExecutionUnit;
import io.shardwire.router.route.RoutingAnalysis;
import io.shardwire.router.route.StatementRefusedException;
import io.shardwire.router.route.StatementRefusedException.Construct;
import java.util.List;

/** Binds an UPDATE, a DELETE, or an INSERT into a single or broadcast table: the same statement on each unit. */
final class WriteBinder implements PreparedPlan.Binder {

    private final String sql;
    private final RoutingAnalysis analysis;
    private final PhysicalSqlWriter writer;
    private final String limitedBy;

    /** @param limitedBy "ORDER BY" or "LIMIT" if the statement has them (they cannot span nodes), else null */
    WriteBinder(String sql, RoutingAnalysis analysis, PhysicalSqlWriter writer, String limitedBy) {
        this.sql = sql;
        this.analysis = analysis;
        this.writer = writer;
        this.limitedBy = limitedBy;
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
        List<NodeStatement> statements = units.stream()
                .map(u -> QueryPlanner.statement(u, writer.write(u.tables()), parameters))
                .toList();
        NodeRoute route = new NodeRoute(QueryPlanner.variant(resolution.spread()), statements, analysis.describeConditions());
        return new ExecutionPlan(sql, ExecutionPlan.Kind.WRITE, route, statements, List.of(), parameters);
    }
}
