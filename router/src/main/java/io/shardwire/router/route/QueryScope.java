package io.shardwire.router.route;

import static io.shardwire.router.parse.Identifiers.unquote;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;

/**
 * One query block of a statement (the statement itself, a derived table, a subquery, a CTE body,
 * a branch of a UNION) with the tables of its FROM clause and the conditions that restrict its rows.
 * Mutable while {@link ScopeCollector} fills it, read-only afterwards.
 */
final class QueryScope {

    /** How the block's rows relate to the statement's result. */
    enum Role {
        /** The statement's own block. */
        TOP,
        /** A derived table in a FROM clause. */
        DERIVED_TABLE,
        /** A subquery in an expression: IN, EXISTS, a scalar or a comparison with ANY/ALL. */
        SUBQUERY,
        /** The body of a WITH item. */
        CTE,
        /** A branch of UNION, INTERSECT or EXCEPT. */
        SET_OPERATION,
        /** Tables in a construct the collector does not take apart; they are treated as an uncorrelated subquery. */
        OPAQUE
    }

    final QueryScope parent;
    final Role role;
    /** Whether the block's rows are result rows, each produced by exactly one data node when its sharded tables are split. */
    final boolean driving;
    /** No GROUP BY, aggregate, window function, DISTINCT, HAVING or LIMIT: its rows on a node depend only on that node's rows. */
    final boolean plain;
    final List<TableOccurrence> tables = new ArrayList<>();
    /** WHERE and inner-join ON conditions: every row of the block satisfies each of them. */
    final List<Expression> restrictions = new ArrayList<>();
    /** ON conditions of outer joins: they pair rows but do not restrict the preserved side. */
    final List<Expression> outerJoinConditions = new ArrayList<>();
    /** USING columns of joins, with the occurrence each joins: left tables before it share the column. */
    final List<UsingJoin> usingJoins = new ArrayList<>();
    /** The block's select list, for IN-subquery correlation: its first column if it has exactly one. */
    Expression singleSelectExpression;

    QueryScope(QueryScope parent, Role role, boolean driving, boolean plain) {
        this.parent = parent;
        this.role = role;
        this.driving = driving;
        this.plain = plain;
    }

    /**
     * The occurrence a column belongs to, as MySQL resolves it: a qualified column looks in this
     * block, then outwards. An unqualified one is only resolved as a shard key; see {@link #candidates}.
     */
    Optional<TableOccurrence> resolve(Column column) {
        List<TableOccurrence> candidates = candidates(column);
        return candidates.size() == 1 ? Optional.of(candidates.getFirst()) : Optional.empty();
    }

    /**
     * The occurrences a column may belong to. Qualified: the one it names, in this block or an
     * outer one. Unqualified: the tables of this block whose shard key it names. If several
     * have it, MySQL accepts the column only when a USING join merged them (else it is ambiguous);
     * outer blocks are not searched, since any table of this block might have such a column.
     */
    List<TableOccurrence> candidates(Column column) {
        String tableQualifier = column.getTable() == null || column.getTable().getName() == null
                ? null : unquote(column.getTable().getName());
        if (tableQualifier == null) {
            String name = unquote(column.getColumnName());
            return tables.stream().filter(t -> t.sharded().map(s -> s.isShardKey(name)).orElse(false)).toList();
        }
        String schemaQualifier = column.getTable().getSchemaName() == null ? null : unquote(column.getTable().getSchemaName());
        for (QueryScope scope = this; scope != null; scope = scope.parent) {
            for (TableOccurrence t : scope.tables) {
                if (t.answersTo(schemaQualifier, tableQualifier)) {
                    return List.of(t);
                }
            }
        }
        return List.of();
    }

    /** Whether {@code column} is the shard key of {@code occurrence}. */
    static boolean isShardKeyOf(Column column, TableOccurrence occurrence) {
        return occurrence.sharded().map(s -> s.isShardKey(unquote(column.getColumnName()))).orElse(false);
    }

    /**
     * A join with USING columns.
     *
     * @param joined  the occurrence joined
     * @param left    the occurrences before it in the same FROM clause
     * @param columns the USING column names, unquoted
     */
    record UsingJoin(TableOccurrence joined, List<TableOccurrence> left, List<String> columns) {
    }
}
