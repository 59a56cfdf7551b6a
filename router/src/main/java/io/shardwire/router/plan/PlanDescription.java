package io.shardwire.router.plan;

import java.util.List;

/**
 * One operator of a plan as EXPLAIN and the golden plan tests show it, after Vitess's
 * {@code {OperatorType, Variant, Other}}: {@code Route / Scatter}, {@code Aggregate / Ordered}, {@code Limit}.
 *
 * @param operator what the operator does
 * @param variant  how, or empty
 * @param details  its parameters, one "key: value" per entry
 * @param inputs   the operators it reads from
 */
public record PlanDescription(String operator, String variant, List<String> details, List<PlanDescription> inputs) {

    public PlanDescription {
        details = List.copyOf(details);
        inputs = List.copyOf(inputs);
    }

    /** The tree as indented text: each operator, its details below it as {@code - key: value}, then its inputs two spaces further in. */
    public String render() {
        StringBuilder out = new StringBuilder();
        render(out, 0);
        return out.toString();
    }

    private void render(StringBuilder out, int depth) {
        out.append("  ".repeat(depth)).append(operator);
        if (!variant.isEmpty()) {
            out.append(" / ").append(variant);
        }
        out.append('\n');
        for (String detail : details) {
            out.append("  ".repeat(depth)).append("  - ").append(detail).append('\n');
        }
        inputs.forEach(i -> i.render(out, depth + 1));
    }
}
