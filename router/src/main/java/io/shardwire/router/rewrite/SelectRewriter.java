package io.shardwire.router.rewrite;

import static io.shardwire.router.parse.Identifiers.unquote;

import io.shardwire.router.parse.AggregateFunctions;
import io.shardwire.router.rewrite.MergeSpec.AggregateFunction;
import io.shardwire.router.rewrite.MergeSpec.AggregateSpec;
import io.shardwire.router.rewrite.MergeSpec.AverageInputs;
import io.shardwire.router.rewrite.MergeSpec.ComputedColumn;
import io.shardwire.router.rewrite.MergeSpec.HavingSpec;
import io.shardwire.router.rewrite.MergeSpec.LimitSpec;
import io.shardwire.router.rewrite.MergeSpec.RowExpression;
import io.shardwire.router.rewrite.MergeSpec.SortKey;
import io.shardwire.router.route.SqlLiterals;
import io.shardwire.router.route.StatementRefusedException;
import io.shardwire.router.route.StatementRefusedException.Construct;
import io.shardwire.router.route.ValueSource;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.AllValue;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JsonAggregateFunction;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.MySQLGroupConcat;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * Rewrites a SELECT to run on several data nodes and says how to merge the results
 * ({@link MergeSpec}), as ShardingSphere's rewrite engine does:
 * <ul>
 *   <li>{@code AVG(x)} keeps its column (whose metadata is the answer's) and gains derived
 *       {@code SUM(x)} and {@code COUNT(x)} columns to recompute it;</li>
 *   <li>ORDER BY, GROUP BY and HAVING items missing from the select list become derived columns,
 *       dropped again after the merge;</li>
 *   <li>HAVING is removed from the nodes (a node sees only part of each group) and evaluated after the merge;</li>
 *   <li>an expression over aggregates ({@code SUM(a)/COUNT(*)}, {@code ROUND(AVG(x), 2)}) stays on the
 *       nodes, whose partial value is discarded but whose column definition is the answer's; its
 *       aggregates become derived columns and the merge recomputes it from them with MySQL's arithmetic;</li>
 *   <li>{@code COUNT(DISTINCT x)} adds {@code x} to the nodes' GROUP BY, so each node returns each
 *       value once per group and the merge counts distinct values;</li>
 *   <li>a grouped query without ORDER BY is sorted by its group keys on the nodes, so groups
 *       merge as a stream;</li>
 *   <li>{@code LIMIT m, n} becomes {@code LIMIT 0, m+n} on the nodes (see {@link #applyLimit}),
 *       or no limit at all when groups are merged.</li>
 * </ul>
 * A query the merge cannot recompute exactly (GROUP_CONCAT, window functions, functions other than
 * ROUND over aggregates, ...) is refused. Mutates the AST it is given; not thread-safe.
 */
public final class SelectRewriter {

    /** Prefix of derived column aliases; chosen to be unlikely to clash with user aliases. */
    static final String DERIVED_PREFIX = "__sw_d";

    private final PlainSelect select;
    private final List<SelectItem<?>> items;
    private final int starIndex;
    private final List<Expression> derived = new ArrayList<>();
    private final Map<String, ColumnRef> derivedByText = new LinkedHashMap<>();
    private final List<AggregateSpec> aggregates = new ArrayList<>();
    private final List<ComputedColumn> computed = new ArrayList<>();
    private Expression distinctArgument;
    private boolean nodeLimit;
    private boolean streamGroups;
    private MergeSpec spec;

    private SelectRewriter(PlainSelect select) {
        this.select = select;
        this.items = List.copyOf(select.getSelectItems());
        int star = items.size();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).getExpression() instanceof AllColumns) {
                star = i;
                break;
            }
        }
        // AllTableColumns (t.*) extends AllColumns in JSqlParser 5, so this covers both.
        this.starIndex = star;
    }

    /**
     * Rewrites {@code select} in place for a scatter to several nodes.
     *
     * @throws StatementRefusedException if the result cannot be merged exactly
     */
    public static SelectRewriter rewrite(PlainSelect select) throws StatementRefusedException {
        SelectRewriter rewriter = new SelectRewriter(select);
        rewriter.rewrite();
        return rewriter;
    }

    /** How to merge the nodes' rows. */
    public MergeSpec spec() {
        return spec;
    }

    /** Whether {@link #applyLimit} sets a LIMIT on the nodes' statement, which then may differ between executions. */
    public boolean limitsNodes() {
        return spec.limit().isPresent() && nodeLimit;
    }

    /**
     * Sets the nodes' LIMIT for one execution: {@code LIMIT 0, offset + count}, so each node
     * returns every row that could be in the merged page. Without a LIMIT, or when groups are
     * merged, the nodes get none.
     */
    public void applyLimit(List<?> parameters) throws StatementRefusedException {
        Optional<LimitSpec> limit = spec.limit();
        if (limit.isEmpty() || !nodeLimit) {
            return;
        }
        long offset = limit.get().offset(parameters);
        long count = limit.get().count(parameters);
        long rows = offset > Long.MAX_VALUE - count ? Long.MAX_VALUE : offset + count;
        Limit nodes = new Limit();
        nodes.setRowCount(new LongValue(rows));
        select.setLimit(nodes);
        select.setOffset(null);
    }

    private void rewrite() throws StatementRefusedException {
        refuseUnmergeable();
        for (int i = 0; i < items.size(); i++) {
            Expression e = items.get(i).getExpression();
            if (e instanceof Function f && AggregateFunctions.isAggregate(f)) {
                if (i > starIndex) {
                    // Its column's position depends on how many columns the * expands to, so its value could not be replaced.
                    throw refuse("aggregate " + e + " after * in the select list");
                }
                aggregate(f, new ColumnRef.Item(i));
            } else if (AggregateFunctions.containsAggregate(e)) {
                if (i > starIndex) {
                    throw refuse("expression over aggregates " + e + " after * in the select list");
                }
                compute(e, new ColumnRef.Item(i));
            }
        }
        List<ColumnRef> groupBy = new ArrayList<>();
        GroupByElement groupByElement = select.getGroupBy();
        if (groupByElement != null) {
            if (groupByElement.isMysqlWithRollup() || !groupByElement.getGroupingSets().isEmpty()) {
                throw refuse("GROUP BY WITH ROLLUP or GROUPING SETS");
            }
            for (Expression e : groupByElement.getGroupByExpressionList()) {
                groupBy.add(refFor(e));
            }
        }
        List<SortKey> orderBy = new ArrayList<>();
        if (select.getOrderByElements() != null) {
            for (OrderByElement o : select.getOrderByElements()) {
                orderBy.add(new SortKey(refFor(o.getExpression()), !o.isAsc()));
            }
        }
        Optional<HavingSpec> having = Optional.empty();
        if (select.getHaving() != null) {
            having = Optional.of(having(select.getHaving()));
            select.setHaving(null);
        }
        boolean aggregated = groupByElement != null || !aggregates.isEmpty();
        List<SortKey> nodeOrderBy = nodeOrder(aggregated, groupBy, orderBy);
        Optional<LimitSpec> limit = limit();
        nodeLimit = limit.isPresent() && !aggregated;
        if (!nodeLimit) {
            select.setLimit(null);
            select.setOffset(null);
        }
        int itemCount = items.size();
        for (int k = 0; k < derived.size(); k++) {
            select.getSelectItems().add(new SelectItem<>(derived.get(k), new Alias(DERIVED_PREFIX + k, true)));
        }
        assert select.getSelectItems().size() == itemCount + derived.size();
        spec = new MergeSpec(derived.size(), orderBy, nodeOrderBy, groupBy, aggregates, computed, aggregated, streamGroups,
                select.getDistinct() != null, having, limit);
    }

    private void refuseUnmergeable() throws StatementRefusedException {
        if (select.getMySqlSqlCalcFoundRows()) {
            throw refuse("SQL_CALC_FOUND_ROWS");
        }
        if (select.getDistinct() != null && select.getDistinct().getOnSelectItems() != null) {
            throw refuse("DISTINCT ON");
        }
        for (SelectItem<?> item : items) {
            Expression e = item.getExpression();
            boolean[] window = {false};
            String[] json = {null};
            e.accept(new ExpressionVisitorAdapter<Void>() {
                @Override
                public <S> Void visit(AnalyticExpression expression, S context) {
                    window[0] = true;
                    return null;
                }

                @Override
                public <S> Void visit(JsonAggregateFunction jsonAggregate, S context) {
                    json[0] = jsonAggregate.toString();
                    return null;
                }

                @Override
                public <S> Void visit(ParenthesedSelect subquery, S context) {
                    return null;
                }
            }, null);
            if (window[0]) {
                throw refuse("window function (" + e + ")");
            }
            if (e instanceof MySQLGroupConcat) {
                throw refuse("GROUP_CONCAT");
            }
            if (json[0] != null) {
                throw refuse("JSON_ARRAYAGG / JSON_OBJECTAGG (" + json[0] + ")");
            }
        }
    }

    /** Registers an aggregate, adding the derived columns it needs. */
    private ColumnRef aggregate(Function f, ColumnRef column) throws StatementRefusedException {
        String name = f.getName().toUpperCase(Locale.ROOT);
        boolean distinct = f.isDistinct() || f.isUnique();
        List<Expression> arguments = f.getParameters() == null ? List.of() : new ArrayList<>(f.getParameters());
        if (name.equals("COUNT") && distinct) {
            if (arguments.size() != 1) {
                throw refuse("COUNT(DISTINCT) of several expressions (" + f + ")");
            }
            Expression argument = arguments.getFirst();
            if (distinctArgument != null && !distinctArgument.toString().equalsIgnoreCase(argument.toString())) {
                throw refuse("COUNT(DISTINCT) of two different expressions (" + distinctArgument + ", " + argument + ")");
            }
            distinctArgument = argument;
            aggregates.add(new AggregateSpec(AggregateFunction.COUNT_DISTINCT, column, List.of(derive(argument)), f.toString()));
            return column;
        }
        if (distinct) {
            throw refuse(name + "(DISTINCT)");
        }
        AggregateFunction function = switch (name) {
            case "COUNT" -> AggregateFunction.COUNT;
            case "SUM" -> AggregateFunction.SUM;
            case "MIN" -> AggregateFunction.MIN;
            case "MAX" -> AggregateFunction.MAX;
            case "AVG" -> AggregateFunction.AVG;
            default -> throw refuse(name + " over several data nodes");
        };
        List<ColumnRef> inputs = function == AggregateFunction.AVG
                ? List.of(derive(call("SUM", arguments)), derive(call("COUNT", arguments)))
                : List.of(column);
        aggregates.add(new AggregateSpec(function, column, inputs, f.toString()));
        return column;
    }

    private static Function call(String name, List<Expression> arguments) {
        Function f = new Function();
        f.setName(name);
        // The argument nodes are shared with the original call, so a ? in them keeps its index.
        f.setParameters(new ExpressionList<>(arguments));
        return f;
    }

    /**
     * The node column an ORDER BY, GROUP BY or HAVING expression reads: a position ({@code ORDER BY 2}),
     * a select item's alias, a select item written the same way, else a derived column.
     */
    private ColumnRef refFor(Expression e) throws StatementRefusedException {
        if (e instanceof LongValue position) {
            int index = (int) position.getValue() - 1;
            if (index < 0 || index >= starIndex) {
                throw refuse("positional reference " + position + " past a * or out of range");
            }
            return new ColumnRef.Item(index);
        }
        if (e instanceof Column column && column.getTable() == null) {
            String name = unquote(column.getColumnName());
            for (int i = 0; i < starIndex; i++) {
                Alias alias = items.get(i).getAlias();
                if (alias != null && unquote(alias.getName()).equalsIgnoreCase(name)) {
                    return new ColumnRef.Item(i);
                }
            }
        }
        for (int i = 0; i < starIndex; i++) {
            if (items.get(i).getExpression().toString().equalsIgnoreCase(e.toString())) {
                return new ColumnRef.Item(i);
            }
        }
        ColumnRef ref = derive(e);
        if (e instanceof Function f && AggregateFunctions.isAggregate(f)) {
            if (aggregateAt(ref).isEmpty()) {
                aggregate(f, ref);
            }
        } else if (AggregateFunctions.containsAggregate(e) && computed.stream().noneMatch(c -> c.column().equals(ref))) {
            compute(e, ref);
        }
        return ref;
    }

    /** A derived column computing {@code e}, shared with any other use of the same text. */
    private ColumnRef derive(Expression e) {
        String key = e.toString().toLowerCase(Locale.ROOT);
        ColumnRef existing = derivedByText.get(key);
        if (existing != null) {
            return existing;
        }
        ColumnRef ref = new ColumnRef.Derived(derived.size());
        derived.add(e);
        derivedByText.put(key, ref);
        return ref;
    }

    private HavingSpec having(Expression condition) throws StatementRefusedException {
        RowExpression expression = rowExpression(condition, true);
        Optional<Expression> unsupported = RowExpressionSupport.unsupported(condition, expression, true);
        if (unsupported.isPresent()) {
            throw refuse("HAVING with " + unsupported.get());
        }
        return new HavingSpec(expression);
    }

    /** Registers an expression over aggregates whose value the merge computes into {@code column}. */
    private void compute(Expression e, ColumnRef column) throws StatementRefusedException {
        RowExpression expression = rowExpression(e, false);
        Optional<Expression> unsupported = RowExpressionSupport.unsupported(e, expression, false);
        if (unsupported.isPresent()) {
            String part = unsupported.get() == e ? "" : " (its part " + unsupported.get() + ")";
            throw refuse("expression over aggregates " + e + part
                    + ": only + - * /, ROUND(x[, digits]), comparisons and literals are recomputed after the merge, and");
        }
        computed.add(new ComputedColumn(column, expression));
    }

    /**
     * The node columns an expression evaluated after the merge reads: each aggregate and column in
     * it (outside subqueries, which are refused), and for each AVG its merged SUM and COUNT.
     *
     * @param having whether it is HAVING, where a bare name may be a select item's alias
     */
    private RowExpression rowExpression(Expression e, boolean having) throws StatementRefusedException {
        List<Expression> leaves = new ArrayList<>();
        e.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(Function function, S context) {
                if (AggregateFunctions.isAggregate(function)) {
                    leaves.add(function);
                    return null;
                }
                return super.visit(function, context);
            }

            @Override
            public <S> Void visit(Column column, S context) {
                leaves.add(column);
                return null;
            }

            @Override
            public <S> Void visit(ParenthesedSelect subquery, S context) {
                leaves.add(subquery);
                return null;
            }
        }, null);
        IdentityHashMap<Expression, ColumnRef> references = new IdentityHashMap<>();
        Map<ColumnRef, AverageInputs> averages = new LinkedHashMap<>();
        IdentityHashMap<Expression, Expression> substitutes = new IdentityHashMap<>();
        for (Expression leaf : leaves) {
            if (leaf instanceof ParenthesedSelect) {
                throw refuse("subquery in " + (having ? "HAVING" : "an expression over aggregates"));
            }
            // In the select list a bare name is the table's column, never another item's alias.
            ColumnRef ref = having || !(leaf instanceof Column) ? refFor(leaf) : derive(leaf);
            Optional<ComputedColumn> item = computed.stream().filter(c -> c.column().equals(ref)).findFirst();
            if (having && leaf instanceof Column && item.isPresent()) {
                RowExpression itemExpression = item.get().expression();
                substitutes.put(leaf, itemExpression.expression());
                references.putAll(itemExpression.references());
                averages.putAll(itemExpression.averages());
                continue;
            }
            references.put(leaf, ref);
            Optional<AggregateSpec> average = aggregateAt(ref).filter(a -> a.function() == AggregateFunction.AVG);
            if (average.isPresent()) {
                ColumnRef sum = average.get().inputs().get(0);
                ColumnRef count = average.get().inputs().get(1);
                mergeInput(AggregateFunction.SUM, sum, average.get().text());
                mergeInput(AggregateFunction.COUNT, count, average.get().text());
                averages.put(ref, new AverageInputs(sum, count));
            }
        }
        return new RowExpression(e, references, averages, substitutes);
    }

    /** Makes the merge also write the merged value of an AVG's derived SUM or COUNT, which MySQL's AVG value is computed from. */
    private void mergeInput(AggregateFunction function, ColumnRef input, String averageText) {
        if (aggregateAt(input).isEmpty()) {
            aggregates.add(new AggregateSpec(function, input, List.of(input), function + " of " + averageText));
        }
    }

    private Optional<AggregateSpec> aggregateAt(ColumnRef column) {
        return aggregates.stream().filter(a -> a.column().equals(column)).findFirst();
    }

    /**
     * The order the nodes sort in (see {@link MergeSpec#nodeOrderBy}), and whether groups stream.
     * A COUNT(DISTINCT x) adds x to the nodes' GROUP BY in any case. Groups stream when the nodes
     * can sort by the group keys (then x): without ORDER BY, with an ORDER BY of exactly the group
     * keys, or, without COUNT(DISTINCT), one that starts with them (the rest cannot reorder groups).
     * Otherwise groups merge in memory and the nodes need not sort at all.
     */
    private List<SortKey> nodeOrder(boolean aggregated, List<ColumnRef> groupBy, List<SortKey> orderBy)
            throws StatementRefusedException {
        if (!aggregated) {
            return List.copyOf(orderBy);
        }
        if (distinctArgument != null) {
            if (select.getGroupBy() == null) {
                select.setGroupByElement(new GroupByElement());
            }
            select.getGroupBy().addGroupByExpressions(distinctArgument);
        }
        List<ColumnRef> orderColumns = orderBy.stream().map(SortKey::column).toList();
        boolean startsWithGroupKeys = orderColumns.size() >= groupBy.size()
                && orderColumns.subList(0, groupBy.size()).equals(groupBy);
        streamGroups = orderBy.isEmpty() || orderColumns.equals(groupBy) || (distinctArgument == null && startsWithGroupKeys);
        if (!streamGroups) {
            select.setOrderByElements(null);
            return List.of();
        }
        List<SortKey> nodeOrder = new ArrayList<>(orderBy);
        List<OrderByElement> elements = new ArrayList<>();
        if (orderBy.isEmpty()) {
            List<Expression> groupExpressions = groupByExpressions();
            for (int i = 0; i < groupBy.size(); i++) {
                elements.add(orderElement(groupExpressions.get(i), true));
                nodeOrder.add(new SortKey(groupBy.get(i), false));
            }
        } else {
            elements.addAll(select.getOrderByElements());
        }
        if (distinctArgument != null) {
            elements.add(orderElement(distinctArgument, true));
            nodeOrder.add(new SortKey(refFor(distinctArgument), false));
        }
        select.setOrderByElements(elements.isEmpty() ? null : elements);
        return nodeOrder;
    }

    /** The client's GROUP BY expressions (without a COUNT(DISTINCT) argument the rewrite appended). */
    private List<Expression> groupByExpressions() {
        if (select.getGroupBy() == null) {
            return List.of();
        }
        List<Expression> all = List.copyOf(select.getGroupBy().getGroupByExpressionList());
        return distinctArgument == null ? all : all.subList(0, all.size() - 1);
    }

    private static OrderByElement orderElement(Expression e, boolean ascending) {
        OrderByElement element = new OrderByElement();
        element.setExpression(e);
        element.setAsc(ascending);
        return element;
    }

    private Optional<LimitSpec> limit() throws StatementRefusedException {
        Limit limit = select.getLimit();
        if (limit == null) {
            if (select.getOffset() != null || select.getFetch() != null) {
                throw refuse("OFFSET or FETCH without LIMIT");
            }
            return Optional.empty();
        }
        if (limit.getRowCount() == null || limit.getRowCount() instanceof AllValue || limit.getRowCount() instanceof NullValue) {
            return Optional.empty();
        }
        ValueSource count = constant(limit.getRowCount());
        Expression offsetExpression = limit.getOffset() != null ? limit.getOffset()
                : select.getOffset() != null ? select.getOffset().getOffset() : null;
        ValueSource offset = offsetExpression == null ? null : constant(offsetExpression);
        return Optional.of(new LimitSpec(offset, count));
    }

    private ValueSource constant(Expression e) throws StatementRefusedException {
        return SqlLiterals.valueOf(e).orElseThrow(() -> refuse("LIMIT " + e + " (expected a number or ?)"));
    }

    private static StatementRefusedException refuse(String construct) {
        return new StatementRefusedException(Construct.UNSUPPORTED_STATEMENT, List.of(),
                construct + " cannot be merged across data nodes");
    }
}
