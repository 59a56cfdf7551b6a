package io.shardwire.router.plan;

import java.util.List;

/**
 * Drops the derived columns the rewrite appended, so the client sees its own select list.
 *
 * @param derivedColumns how many trailing columns to drop
 * @param input          the operator below
 */
public record Projection(int derivedColumns, PlanNode input) implements PlanNode {

    @Override
    public PlanDescription describe() {
        return new PlanDescription("Projection", "", List.of("drop derived columns: " + derivedColumns), List.of(input.describe()));
    }
}
