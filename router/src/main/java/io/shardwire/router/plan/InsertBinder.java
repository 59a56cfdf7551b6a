package io.shardwire.router.plan;

import io.shardwire.router.keygen.KeyGenerator;
import io.shardwire.router.parse.TableReference;
import io.shardwire.router.rewrite.PhysicalSqlWriter;
import io.shardwire.router.route.StatementRefusedException;
import io.shardwire.router.route.StatementRefusedException.Construct;
import io.shardwire.router.route.ValueSource;
import io.shardwire.router.rule.ShardedTableRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.statement.select.Values;

/**
 * Binds an INSERT into a sharded table: each row goes to the data node of its shard key's bucket,
 * one INSERT per node with that node's rows in their original order. Rows missing the generated
 * key column get a fresh key per execution; when that column is the shard key, the key routes the row.
 */
final class InsertBinder implements PreparedPlan.Binder {

    private final String sql;
    private final TableReference table;
    private final ShardedTableRule rule;
    private final PhysicalSqlWriter writer;
    private final Values values;
    private final List<List<Expression>> rows;
    private final List<ValueSource> rowKeys;
    private final boolean generateKey;
    private final boolean keyIsGenerated;
    private final KeyGenerator keys;

    /**
     * @param values         the AST's VALUES node, whose rows are replaced per node
     * @param rows           the rows as written (without a generated column)
     * @param rowKeys        each row's shard key value, or null where it is the generated key
     * @param generateKey    whether each row gets a generated key appended
     * @param keyIsGenerated whether the generated key is the shard key
     */
    InsertBinder(String sql, TableReference table, ShardedTableRule rule, PhysicalSqlWriter writer, Values values,
                 List<List<Expression>> rows, List<ValueSource> rowKeys, boolean generateKey, boolean keyIsGenerated,
                 KeyGenerator keys) {
        this.sql = sql;
        this.table = table;
        this.rule = rule;
        this.writer = writer;
        this.values = values;
        this.rows = rows;
        this.rowKeys = rowKeys;
        this.generateKey = generateKey;
        this.keyIsGenerated = keyIsGenerated;
        this.keys = keys;
    }

    @Override
    public ExecutionPlan bind(List<?> parameters) throws StatementRefusedException {
        Map<Integer, List<Expression>> rowsByNode = new TreeMap<>();
        List<Long> generated = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<Expression> row = new ArrayList<>(rows.get(r));
            Object key;
            if (generateKey) {
                long next = keys.nextKey();
                generated.add(next);
                row.add(new LongValue(next));
                key = keyIsGenerated ? next : rowKeys.get(r).resolve(parameters);
            } else {
                key = rowKeys.get(r).resolve(parameters);
            }
            OptionalInt bucket = rule.algorithm().bucketOf(key);
            if (bucket.isEmpty()) {
                throw new StatementRefusedException(Construct.UNPLACEABLE_SHARD_KEY, List.of(table.toString()),
                        "value " + describe(key) + " of shard key " + rule.shardKey() + " of " + table + " (row " + (r + 1)
                                + ") cannot be placed: the table's algorithm takes " + rule.algorithm().accepts());
            }
            rowsByNode.computeIfAbsent(rule.bucketMap().nodeOf(bucket.getAsInt()), k -> new ArrayList<>())
                    .add(new ParenthesedExpressionList<>(row));
        }
        List<NodeStatement> statements = new ArrayList<>();
        for (Map.Entry<Integer, List<Expression>> entry : rowsByNode.entrySet()) {
            values.setExpressions(new ExpressionList<>(entry.getValue()));
            var slice = rule.slices().get(entry.getKey());
            statements.add(QueryPlanner.statement(slice.node(), writer.write(Map.of(table, slice)), parameters));
        }
        NodeRoute route = new NodeRoute(NodeRoute.Variant.BY_ROW_KEY, statements, List.of());
        return new ExecutionPlan(sql, ExecutionPlan.Kind.WRITE, route, statements, generated, parameters);
    }

    private static String describe(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
}
