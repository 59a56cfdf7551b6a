package io.shardwire.router.plan;

import io.shardwire.router.route.Route;
import java.util.List;

/**
 * A statement the proxy answers itself, without a data node.
 *
 * @param answer {@link Route.UseSchema}, {@link Route.ShowSchemas}, or {@link ExplainRows} for EXPLAIN SHARDWIRE
 */
public record LocalAnswer(Answer answer) implements PlanNode {

    /** What the proxy answers. */
    public sealed interface Answer permits SchemaAnswer, ExplainRows {
    }

    /**
     * USE or SHOW DATABASES, as the statement router describes them.
     *
     * @param route the {@link Route.UseSchema} or {@link Route.ShowSchemas}
     */
    public record SchemaAnswer(Route route) implements Answer {
    }

    @Override
    public PlanDescription describe() {
        return new PlanDescription("Local", switch (answer) {
            case SchemaAnswer s -> s.route().getClass().getSimpleName();
            case ExplainRows e -> "Explain";
        }, List.of(), List.of());
    }
}
