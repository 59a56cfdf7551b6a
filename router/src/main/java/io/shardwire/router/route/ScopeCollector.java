package io.shardwire.router.route;

import static io.shardwire.router.parse.Identifiers.unquote;

import io.shardwire.router.parse.AggregateFunctions;
import io.shardwire.router.parse.TableReference;
import io.shardwire.router.rule.ShardingRules;
import io.shardwire.router.route.QueryScope.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.AnyComparisonExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SelectVisitorAdapter;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Takes a statement apart into {@link QueryScope}s: which tables each query block reads, how they
 * are joined, and which conditions restrict its rows. Tables in constructs it does not take apart
 * are still found (with JSqlParser's own table finder) and put in an {@link Role#OPAQUE} block, so
 * that no table escapes routing. Single use: one collector per statement.
 */
final class ScopeCollector {

    private final ShardingRules rules;
    private final String currentSchema;
    private final List<QueryScope> scopes = new ArrayList<>();
    private final List<TableOccurrence> occurrences = new ArrayList<>();
    private final Map<ParenthesedSelect, QueryScope> subqueries = new IdentityHashMap<>();
    private final Set<String> cteNames = new HashSet<>();
    private final Set<Table> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    ScopeCollector(ShardingRules rules, String currentSchema) {
        this.rules = rules;
        this.currentSchema = currentSchema;
    }

    /** The scopes of a SELECT, UPDATE, DELETE or INSERT; the first is the statement's own block. */
    Scopes collect(Statement statement) throws RouteException {
        try {
            switch (statement) {
                case Select select -> select(select, null, Role.TOP, true);
                case Update update -> update(update);
                case Delete delete -> delete(delete);
                case Insert insert -> insert(insert);
                default -> throw new IllegalArgumentException("not a query or DML statement: " + statement.getClass());
            }
            opaqueTables(statement);
        } catch (Unchecked e) {
            throw e.cause;
        }
        return new Scopes(List.copyOf(scopes), List.copyOf(occurrences), subqueries);
    }

    /**
     * The collected blocks.
     *
     * @param scopes      every block, the statement's own first
     * @param occurrences every table occurrence, in the order found
     * @param subqueries  the block of each subquery node
     */
    record Scopes(List<QueryScope> scopes, List<TableOccurrence> occurrences, Map<ParenthesedSelect, QueryScope> subqueries) {
    }

    private QueryScope select(Select select, QueryScope parent, Role role, boolean driving) {
        withItems(select.getWithItemsList(), parent);
        return switch (select) {
            case PlainSelect plain -> plainSelect(plain, parent, role, driving);
            case ParenthesedSelect parenthesed -> select(parenthesed.getSelect(), parent, role, driving);
            case SetOperationList setOperation -> {
                QueryScope first = null;
                for (Select branch : setOperation.getSelects()) {
                    QueryScope scope = select(branch, parent, Role.SET_OPERATION, false);
                    first = first == null ? scope : first;
                }
                orderBy(setOperation.getOrderByElements(), first);
                yield first;
            }
            // VALUES rows and other forms without tables of their own.
            default -> newScope(parent, role, false, false);
        };
    }

    private void withItems(List<WithItem<?>> withItems, QueryScope parent) {
        if (withItems == null) {
            return;
        }
        for (WithItem<?> item : withItems) {
            cteNames.add(unquote(item.getAliasName()).toLowerCase(Locale.ROOT));
            if (item.getSelect() != null) {
                select(item.getSelect(), parent, Role.CTE, false);
            }
        }
    }

    private QueryScope plainSelect(PlainSelect select, QueryScope parent, Role role, boolean driving) {
        boolean plain = isPlain(select);
        QueryScope scope = newScope(parent, role, driving && plain || role == Role.TOP && driving, plain);
        fromClause(select.getFromItem(), select.getJoins(), scope, false);
        if (select.getWhere() != null) {
            scope.restrictions.add(select.getWhere());
            expressions(scope, select.getWhere());
        }
        if (select.getSelectItems() != null) {
            for (SelectItem<?> item : select.getSelectItems()) {
                expressions(scope, item.getExpression());
            }
            if (select.getSelectItems().size() == 1) {
                scope.singleSelectExpression = select.getSelectItems().getFirst().getExpression();
            }
        }
        if (select.getGroupBy() != null && select.getGroupBy().getGroupByExpressionList() != null) {
            select.getGroupBy().getGroupByExpressionList().forEach(e -> expressions(scope, e));
        }
        expressions(scope, select.getHaving());
        orderBy(select.getOrderByElements(), scope);
        return scope;
    }

    /** Whether a node's share of the block's rows depends only on that node's rows. */
    private static boolean isPlain(PlainSelect select) {
        if (select.getGroupBy() != null || select.getHaving() != null || select.getDistinct() != null
                || select.getLimit() != null || select.getOffset() != null || select.getFetch() != null) {
            return false;
        }
        if (select.getSelectItems() != null) {
            for (SelectItem<?> item : select.getSelectItems()) {
                if (AggregateFunctions.containsAggregate(item.getExpression())) {
                    return false;
                }
            }
        }
        return true;
    }

    private void update(Update update) {
        withItems(update.getWithItemsList(), null);
        QueryScope scope = newScope(null, Role.TOP, true, update.getLimit() == null);
        List<Join> joins = new ArrayList<>();
        if (update.getStartJoins() != null) {
            joins.addAll(update.getStartJoins());
        }
        fromClause(update.getTable(), joins, scope, false);
        if (update.getFromItem() != null) {
            fromClause(update.getFromItem(), update.getJoins(), scope, false);
        } else if (update.getJoins() != null) {
            joinList(update.getJoins(), scope);
        }
        for (UpdateSet set : update.getUpdateSets()) {
            set.getValues().forEach(v -> expressions(scope, (Expression) v));
        }
        if (update.getWhere() != null) {
            scope.restrictions.add(update.getWhere());
            expressions(scope, update.getWhere());
        }
        orderBy(update.getOrderByElements(), scope);
    }

    private void delete(Delete delete) {
        withItems(delete.getWithItemsList(), null);
        QueryScope scope = newScope(null, Role.TOP, true, delete.getLimit() == null);
        if (delete.getTables() != null && !delete.getTables().isEmpty() && delete.getTable() == null) {
            // DELETE t1, t2 FROM ...: the targets are aliases of FROM tables, found through the joins below.
            fromClause(null, delete.getJoins(), scope, false);
        } else {
            fromClause(delete.getTable(), delete.getJoins(), scope, false);
        }
        if (delete.getUsingFromItemList() != null) {
            delete.getUsingFromItemList().forEach(t -> fromItem(t, scope, false));
        }
        if (delete.getWhere() != null) {
            scope.restrictions.add(delete.getWhere());
            expressions(scope, delete.getWhere());
        }
        orderBy(delete.getOrderByElements(), scope);
    }

    private void insert(Insert insert) {
        withItems(insert.getWithItemsList(), null);
        QueryScope scope = newScope(null, Role.TOP, true, true);
        fromItem(insert.getTable(), scope, false);
        if (insert.getSelect() instanceof Values values) {
            values.getExpressions().forEach(e -> expressions(scope, e));
        } else if (insert.getSelect() != null) {
            select(insert.getSelect(), scope, Role.SUBQUERY, false);
        }
        if (insert.getSetUpdateSets() != null) {
            insert.getSetUpdateSets().forEach(set -> set.getValues().forEach(v -> expressions(scope, (Expression) v)));
        }
        if (insert.getDuplicateUpdateSets() != null) {
            insert.getDuplicateUpdateSets().forEach(set -> set.getValues().forEach(v -> expressions(scope, (Expression) v)));
        }
    }

    private void fromClause(FromItem from, List<Join> joins, QueryScope scope, boolean nullable) {
        if (from != null) {
            fromItem(from, scope, nullable);
        }
        if (joins != null) {
            joinList(joins, scope);
        }
    }

    private void joinList(List<Join> joins, QueryScope scope) {
        for (Join join : joins) {
            List<TableOccurrence> left = List.copyOf(scope.tables);
            boolean rightNullable = join.isLeft() || join.isFull();
            int before = scope.tables.size();
            fromItem(join.getFromItem(), scope, rightNullable);
            if (join.isRight() || join.isFull()) {
                // The tables joined so far are now the NULL-extended side.
                for (int i = 0; i < before; i++) {
                    TableOccurrence t = scope.tables.get(i);
                    scope.tables.set(i, new TableOccurrence(t.node(), t.name(), t.rule(), t.alias(), t.scope(), true));
                    occurrences.set(occurrences.indexOf(t), scope.tables.get(i));
                }
            }
            boolean outer = join.isLeft() || join.isRight() || join.isFull();
            if (join.getOnExpressions() != null) {
                for (Expression on : join.getOnExpressions()) {
                    (outer ? scope.outerJoinConditions : scope.restrictions).add(on);
                    expressions(scope, on);
                }
            }
            if (join.getUsingColumns() != null && !join.getUsingColumns().isEmpty()) {
                List<String> columns = join.getUsingColumns().stream().map(c -> unquote(c.getColumnName())).toList();
                for (int i = before; i < scope.tables.size(); i++) {
                    scope.usingJoins.add(new QueryScope.UsingJoin(scope.tables.get(i), left, columns));
                }
            }
        }
    }

    private void fromItem(FromItem item, QueryScope scope, boolean nullable) {
        switch (item) {
            case Table table -> table(table, scope, nullable);
            case ParenthesedSelect derived -> {
                QueryScope inner = select(derived.getSelect(), scope, Role.DERIVED_TABLE, scope.driving && !nullable);
                subqueries.put(derived, inner);
                if (nullable) {
                    markNullable(inner);
                }
            }
            case ParenthesedFromItem parenthesed -> {
                int before = scope.tables.size();
                fromClause(parenthesed.getFromItem(), parenthesed.getJoins(), scope, nullable);
                if (nullable) {
                    for (int i = before; i < scope.tables.size(); i++) {
                        TableOccurrence t = scope.tables.get(i);
                        scope.tables.set(i, new TableOccurrence(t.node(), t.name(), t.rule(), t.alias(), t.scope(), true));
                        occurrences.set(occurrences.indexOf(t), scope.tables.get(i));
                    }
                }
            }
            // Table functions, VALUES lists, lateral constructs: any table inside ends up in an opaque block.
            default -> {
            }
        }
    }

    private void markNullable(QueryScope inner) {
        for (int i = 0; i < inner.tables.size(); i++) {
            TableOccurrence t = inner.tables.get(i);
            inner.tables.set(i, new TableOccurrence(t.node(), t.name(), t.rule(), t.alias(), t.scope(), true));
            occurrences.set(occurrences.indexOf(t), inner.tables.get(i));
        }
    }

    /** A CTE's name, or MySQL's DUAL pseudo-table: no table of a data node. */
    private boolean isCteReference(Table table) {
        String name = unquote(table.getName()).toLowerCase(Locale.ROOT);
        return table.getSchemaName() == null && (cteNames.contains(name) || name.equals("dual"));
    }

    private void table(Table table, QueryScope scope, boolean nullable) {
        if (isCteReference(table)) {
            return;
        }
        seen.add(table);
        TableReference name = resolve(table);
        if (name == null) {
            return;
        }
        String alias = table.getAlias() == null ? null : unquote(table.getAlias().getName());
        TableOccurrence occurrence = new TableOccurrence(table, name, rules.rule(name.schema(), name.table()), alias, scope, nullable);
        scope.tables.add(occurrence);
        occurrences.add(occurrence);
    }

    /** The logical table, or null for a table of a server schema (information_schema), which every backend has. */
    private TableReference resolve(Table table) {
        String schema = table.getSchemaName() == null ? currentSchema : unquote(table.getSchemaName());
        String name = unquote(table.getName());
        if (schema != null && StatementRouter.SERVER_SCHEMAS.contains(schema.toLowerCase(Locale.ROOT))) {
            return null;
        }
        if (schema == null) {
            throw new Unchecked(new RouteException(RouteException.Kind.NO_SCHEMA_SELECTED, name,
                    "No database selected for table '" + name + "'"));
        }
        if (rules.schema(schema).isEmpty()) {
            throw new Unchecked(new RouteException(RouteException.Kind.UNKNOWN_SCHEMA, schema, "Unknown database '" + schema + "'"));
        }
        return new TableReference(schema, name);
    }

    private void orderBy(List<OrderByElement> orderBy, QueryScope scope) {
        if (orderBy != null) {
            orderBy.forEach(o -> expressions(scope, o.getExpression()));
        }
    }

    /** Finds the subqueries in an expression of {@code scope} and collects each as a block of its own. */
    private void expressions(QueryScope scope, Expression expression) {
        if (expression == null) {
            return;
        }
        // JSqlParser's adapter hands subqueries (IN, EXISTS, scalar) to its select visitor, not to visit(ParenthesedSelect).
        SelectVisitorAdapter<Void> subqueryVisitor = new SelectVisitorAdapter<>() {
            @Override
            public <S> Void visit(ParenthesedSelect subquery, S context) {
                subquery(scope, subquery);
                return null;
            }

            @Override
            public <S> Void visit(PlainSelect plain, S context) {
                select(plain, scope, Role.SUBQUERY, false);
                return null;
            }

            @Override
            public <S> Void visit(SetOperationList setOperation, S context) {
                select(setOperation, scope, Role.SUBQUERY, false);
                return null;
            }
        };
        expression.accept(new ExpressionVisitorAdapter<Void>(subqueryVisitor) {
            @Override
            public <S> Void visit(ParenthesedSelect subquery, S context) {
                subquery(scope, subquery);
                return null;
            }

            @Override
            public <S> Void visit(AnyComparisonExpression any, S context) {
                if (any.getSelect() instanceof ParenthesedSelect subquery) {
                    subquery(scope, subquery);
                } else {
                    select(any.getSelect(), scope, Role.SUBQUERY, false);
                }
                return null;
            }

            @Override
            public <S> Void visit(Column column, S context) {
                return null;
            }
        }, null);
    }

    private void subquery(QueryScope scope, ParenthesedSelect subquery) {
        if (!subqueries.containsKey(subquery)) {
            subqueries.put(subquery, select(subquery.getSelect(), scope, Role.SUBQUERY, false));
        }
    }

    /** Tables the walk above did not reach: each goes into an opaque block of its own. */
    private void opaqueTables(Statement statement) {
        Set<Table> all = Collections.newSetFromMap(new IdentityHashMap<>());
        try {
            new TablesNamesFinder<Void>() {
                @Override
                public <S> Void visit(Table table, S context) {
                    all.add(table);
                    return super.visit(table, context);
                }
            }.getTables(statement);
        } catch (UnsupportedOperationException e) {
            // The finder does not know this statement form; the walk above is all there is.
            return;
        }
        for (Table table : all) {
            if (!seen.contains(table) && !isCteReference(table)) {
                table(table, newScope(scopes.getFirst(), Role.OPAQUE, false, false), false);
            }
        }
    }

    private QueryScope newScope(QueryScope parent, Role role, boolean driving, boolean plain) {
        QueryScope scope = new QueryScope(parent, role, driving, plain);
        scopes.add(scope);
        return scope;
    }

    /** Carries a RouteException through the JSqlParser visitors, which cannot throw checked exceptions. */
    private static final class Unchecked extends RuntimeException {
        private final RouteException cause;

        Unchecked(RouteException cause) {
            super(cause);
            this.cause = cause;
        }
    }
}
