package io.shardwire.router.plan;

import io.shardwire.router.rewrite.MergeSpec.HavingSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Keeps the merged rows that satisfy HAVING, which the nodes could not evaluate on partial groups.
 *
 * @param having         the condition and the columns it reads
 * @param derivedColumns how many trailing columns are derived
 * @param parameters     the execution's bound values, for {@code ?} in the condition
 * @param input          the aggregate below
 */
public record HavingFilter(HavingSpec having, int derivedColumns, List<Object> parameters, PlanNode input) implements PlanNode {

    public HavingFilter {
        parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
    }

    @Override
    public PlanDescription describe() {
        return new PlanDescription("Filter", "Having", List.of("condition: " + having.condition().expression()), List.of(input.describe()));
    }
}
