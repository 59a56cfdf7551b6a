package io.shardwire.router.route;

import io.shardwire.router.parse.TableReference;
import io.shardwire.router.route.QueryScope.Role;
import io.shardwire.router.route.StatementRefusedException.Construct;
import io.shardwire.router.rule.BroadcastTableRule;
import io.shardwire.router.rule.DataNode;
import io.shardwire.router.rule.PhysicalTable;
import io.shardwire.router.rule.ShardedTableRule;
import io.shardwire.router.rule.SingleTableRule;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;

/**
 * Where a statement may run, decided from its blocks at plan time and resolved to execution units
 * per execution, once the {@code ?} values are known.
 *
 * <p>Sharded tables fall into <em>key classes</em>: occurrences joined on their shard keys
 * ({@code a.k = b.k} in a WHERE or ON, a USING join, a correlated {@code b.k = outer.k}, or
 * {@code a.k IN (SELECT b.k ...)} over a plain subquery) of tables bound to each other, whose
 * matching rows are therefore always on one node. A class is <em>anchored</em> when one of its
 * tables produces the result rows (is in the statement's own block or a plain derived table of it,
 * and not on the NULL side of an outer join): then each node's share of the result is exact and
 * the statement runs on every node the WHERE clause allows. Every other class must resolve to the
 * one node the statement runs on, or the statement is refused; so is any split that would need a
 * single or broadcast table the node's server does not hold.
 *
 * <p>Thread-safe: immutable but for a cache of immutable resolutions.
 */
public final class RoutingAnalysis {

    private final List<KeyClass> classes;
    /** The anchored ones among {@link #classes}. */
    private final List<KeyClass> anchored;
    private final List<TableOccurrence> singles = new ArrayList<>();
    private final List<TableOccurrence> broadcasts = new ArrayList<>();
    private final List<TableOccurrence> broadcastWrites = new ArrayList<>();
    private final DataNode defaultNode;
    /**
     * The resolution per node index of a statement whose only key class is anchored, once one execution reached that
     * node alone (a point read's executes differ only in the node). Filled racily: a slot holds an immutable record
     * or null, and two threads that fill it alike do no harm.
     */
    private final Resolution[] singleNodeResolutions;

    /**
     * @param scopes      the statement's blocks
     * @param written     the occurrences the statement writes (empty for a SELECT)
     * @param defaultNode where a statement without tables runs
     */
    RoutingAnalysis(ScopeCollector.Scopes scopes, Set<TableOccurrence> written, DataNode defaultNode) {
        this.defaultNode = defaultNode;
        this.classes = keyClasses(scopes);
        this.anchored = classes.stream().filter(KeyClass::anchored).toList();
        for (TableOccurrence t : scopes.occurrences()) {
            switch (t.rule()) {
                case SingleTableRule single -> singles.add(t);
                case BroadcastTableRule broadcast -> (written.contains(t) ? broadcastWrites : broadcasts).add(t);
                case ShardedTableRule sharded -> {
                }
            }
        }
        this.singleNodeResolutions = classes.size() == 1 && anchored.size() == 1
                ? new Resolution[anchored.getFirst().rule().slices().size()] : null;
    }

    /** The WHERE conditions on each anchored key class, for plan descriptions: {@code shop.orders: customer_id = ?1}. */
    public List<String> describeConditions() {
        return classes.stream().filter(KeyClass::anchored)
                .map(c -> c.tables() + ": " + c.condition().describe(c.rule().shardKey()))
                .toList();
    }

    /**
     * The units the statement runs on, with {@code parameters} bound to its {@code ?}s: one per
     * data node its anchored key class may have rows on, else exactly one.
     *
     * @throws StatementRefusedException if the statement would need rows of several nodes together
     */
    public Resolution resolve(List<?> parameters) throws StatementRefusedException {
        if (!broadcastWrites.isEmpty() && !classes.isEmpty()) {
            throw new StatementRefusedException(Construct.UNSUPPORTED_STATEMENT, tableNames(broadcastWrites, classes),
                    "a write to broadcast table " + broadcastWrites.getFirst().name()
                            + " that reads sharded table " + classes.getFirst().tables() + " is not supported");
        }
        KeyClass splitting = null;
        BitSet splitIndexes = null;
        if (anchored.size() == 1) {
            splitting = anchored.getFirst();
            splitIndexes = splitting.nodes(parameters);
            if (splitIndexes.isEmpty()) {
                // Contradictory key conditions: any one node answers with no rows.
                splitIndexes.set(0);
            }
            if (singleNodeResolutions != null && splitIndexes.cardinality() == 1) {
                return singleNode(splitting, splitIndexes);
            }
        }
        // Node index of every key class, per unit: the anchored class's index varies, the others are fixed.
        List<DataNode> nodes = new ArrayList<>();
        Map<KeyClass, Integer> fixedIndex = new LinkedHashMap<>();
        if (splitting != null) {
            for (int i = splitIndexes.nextSetBit(0); i >= 0; i = splitIndexes.nextSetBit(i + 1)) {
                nodes.add(splitting.rule().slices().get(i).node());
            }
        } else if (anchored.size() > 1) {
            DataNode only = null;
            for (KeyClass c : anchored) {
                Optional<DataNode> node = c.singleNode(parameters);
                if (node.isEmpty() || (only != null && !only.equals(node.get()))) {
                    throw crossNodeJoin(anchored);
                }
                only = node.get();
                fixedIndex.put(c, c.nodes(parameters).nextSetBit(0));
            }
            nodes.add(only);
        }
        for (KeyClass c : classes) {
            if (c.anchored()) {
                continue;
            }
            Optional<DataNode> node = c.singleNode(parameters);
            if (node.isEmpty() || nodes.size() > 1 || (nodes.size() == 1 && !nodes.getFirst().equals(node.get()))) {
                throw unanchored(c, splitting);
            }
            if (nodes.isEmpty()) {
                nodes.add(node.get());
            }
            fixedIndex.put(c, c.nodes(parameters).nextSetBit(0));
        }
        if (nodes.isEmpty()) {
            nodes.addAll(unshardedNodes());
        }
        return unitsOn(nodes, splitting, splitIndexes, fixedIndex);
    }

    /** The resolution onto the one node in {@code index} of the statement's only key class, made once per node. */
    private Resolution singleNode(KeyClass only, BitSet index) throws StatementRefusedException {
        int node = index.nextSetBit(0);
        Resolution known = singleNodeResolutions[node];
        if (known == null) {
            known = unitsOn(List.of(only.rule().slices().get(node).node()), only, index, Map.of());
            singleNodeResolutions[node] = known;
        }
        return known;
    }

    /**
     * The units on {@code nodes}: the splitting class's slices in {@code splitIndexes} order, the other classes' at their
     * fixed index, single and broadcast tables on each node's server.
     */
    private Resolution unitsOn(List<DataNode> nodes, KeyClass splitting, BitSet splitIndexes,
                               Map<KeyClass, Integer> fixedIndex) throws StatementRefusedException {
        List<ExecutionUnit> units = new ArrayList<>();
        Spread spread = splitting != null
                ? (splitIndexes.cardinality() == splitting.rule().slices().size() ? Spread.SCATTER : Spread.BY_SHARD_KEY)
                : !classes.isEmpty() ? Spread.BY_SHARD_KEY
                : !broadcastWrites.isEmpty() ? Spread.ALL_COPIES
                : Spread.UNSHARDED;
        int splitIndex = splitIndexes == null ? -1 : splitIndexes.nextSetBit(0);
        for (DataNode node : nodes) {
            Map<TableReference, PhysicalTable> tables = new LinkedHashMap<>();
            for (KeyClass c : classes) {
                int index = c == splitting ? splitIndex : fixedIndex.get(c);
                for (TableOccurrence t : c.members()) {
                    tables.put(t.name(), t.sharded().orElseThrow().slices().get(index));
                }
            }
            for (TableOccurrence t : singles) {
                PhysicalTable physical = ((SingleTableRule) t.rule()).physical();
                if (!physical.node().shardGroup().equals(node.shardGroup())) {
                    throw crossGroup(t, node);
                }
                tables.put(t.name(), physical);
            }
            for (TableOccurrence t : broadcastWrites) {
                tables.put(t.name(), copyOn((BroadcastTableRule) t.rule(), node).orElseThrow());
            }
            for (TableOccurrence t : broadcasts) {
                tables.putIfAbsent(t.name(), copyOn((BroadcastTableRule) t.rule(), node).orElseThrow(() -> crossGroup(t, node)));
            }
            units.add(new ExecutionUnit(node, tables));
            if (splitIndexes != null) {
                splitIndex = splitIndexes.nextSetBit(splitIndex + 1);
            }
        }
        return new Resolution(units, spread);
    }

    /** How the units of a resolution were chosen. */
    public enum Spread {
        /** No sharded table: one node holding the single and broadcast tables. */
        UNSHARDED,
        /** The nodes the shard key conditions allow. */
        BY_SHARD_KEY,
        /** Every node of the sharded table: the conditions do not narrow the key. */
        SCATTER,
        /** Every copy of the broadcast table written. */
        ALL_COPIES
    }

    /**
     * Where one execution runs.
     *
     * @param units  the units, in data node order
     * @param spread how they were chosen
     */
    public record Resolution(List<ExecutionUnit> units, Spread spread) {
        public Resolution {
            units = List.copyOf(units);
        }
    }

    /** The nodes of a statement without sharded tables: every copy written, else the first single or broadcast table's node. */
    private List<DataNode> unshardedNodes() throws StatementRefusedException {
        if (!broadcastWrites.isEmpty()) {
            return broadcastWrites.getFirst().rule().physicalTables().stream().map(PhysicalTable::node).toList();
        }
        if (!singles.isEmpty()) {
            Set<String> groups = singles.stream().map(t -> ((SingleTableRule) t.rule()).physical().node().shardGroup())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            if (groups.size() > 1) {
                String placement = singles.stream()
                        .map(t -> t.name() + " on " + ((SingleTableRule) t.rule()).physical().node().shardGroup())
                        .distinct()
                        .collect(Collectors.joining(", "));
                throw new StatementRefusedException(Construct.CROSS_SHARD_GROUP, tableNames(singles, List.of()),
                        "statement spans shard groups (" + placement + "); cross-group statements are not supported");
            }
            return List.of(((SingleTableRule) singles.getFirst().rule()).physical().node());
        }
        if (!broadcasts.isEmpty()) {
            return List.of(broadcasts.getFirst().rule().physicalTables().getFirst().node());
        }
        return List.of(defaultNode);
    }

    /** The copy on {@code node}, else one on the same server. */
    private static Optional<PhysicalTable> copyOn(BroadcastTableRule rule, DataNode node) {
        return rule.copies().stream().filter(c -> c.node().equals(node)).findFirst()
                .or(() -> rule.copies().stream().filter(c -> c.node().shardGroup().equals(node.shardGroup())).findFirst());
    }

    private StatementRefusedException crossGroup(TableOccurrence table, DataNode node) {
        String where = switch (table.rule()) {
            case SingleTableRule single -> "single table " + table.name() + " lives on shard group "
                    + single.physical().node().shardGroup();
            default -> "broadcast table " + table.name() + " has no copy on shard group " + node.shardGroup();
        };
        List<String> names = new ArrayList<>(List.of(table.name().toString()));
        classes.forEach(c -> c.members().forEach(m -> names.add(m.name().toString())));
        return new StatementRefusedException(Construct.CROSS_SHARD_GROUP, names.stream().distinct().toList(),
                where + ", but the statement runs on data node " + node.database() + " of shard group "
                        + node.shardGroup() + (classes.isEmpty() ? "" : " for sharded table " + classes.getFirst().tables())
                        + "; cross-group statements are not supported");
    }

    private static StatementRefusedException crossNodeJoin(List<KeyClass> anchored) {
        KeyClass a = anchored.get(0);
        KeyClass b = anchored.get(1);
        List<String> names = tableNames(List.of(), anchored);
        if (a.rule().isBoundTo(b.rule())) {
            return new StatementRefusedException(Construct.CROSS_NODE_JOIN, names, "join of " + a.tables() + " and "
                    + b.tables() + " is not on their shard keys (" + a.rule().table() + "." + a.rule().shardKey() + " = "
                    + b.rule().table() + "." + b.rule().shardKey() + "), so matching rows may be on different data nodes");
        }
        return new StatementRefusedException(Construct.CROSS_NODE_JOIN, names, "join of sharded tables " + a.tables()
                + " and " + b.tables() + ", which are not bound to each other, would need rows from different data nodes");
    }

    private StatementRefusedException unanchored(KeyClass c, KeyClass splitting) {
        List<String> names = tableNames(List.of(), splitting == null ? List.of(c) : List.of(splitting, c));
        String against = splitting == null ? "" : " while " + splitting.tables() + " is read from several data nodes";
        return switch (c.reason()) {
            case OUTER_JOIN -> new StatementRefusedException(Construct.CROSS_NODE_OUTER_JOIN, names, "outer join to sharded table "
                    + c.tables() + " whose preserved side is not sharded would repeat its rows on every data node");
            case SET_OPERATION -> new StatementRefusedException(Construct.CROSS_NODE_SET_OPERATION, names,
                    "UNION, INTERSECT or EXCEPT over sharded table " + c.tables() + " spread over several data nodes");
            case SUBQUERY -> new StatementRefusedException(Construct.CROSS_NODE_SUBQUERY, names, "subquery over sharded table "
                    + c.tables() + " is not correlated on its shard key (" + c.rule().shardKey() + ")" + against
                    + ", so it would need rows from other data nodes");
        };
    }

    private static List<String> tableNames(List<TableOccurrence> tables, List<KeyClass> classes) {
        Set<String> names = new LinkedHashSet<>();
        tables.forEach(t -> names.add(t.name().toString()));
        classes.forEach(c -> c.members().forEach(t -> names.add(t.name().toString())));
        return List.copyOf(names);
    }

    // ---- plan time: key classes ----

    private static List<KeyClass> keyClasses(ScopeCollector.Scopes scopes) {
        List<TableOccurrence> sharded = scopes.occurrences().stream().filter(t -> t.sharded().isPresent()).toList();
        int[] parent = new int[sharded.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        for (QueryScope scope : scopes.scopes()) {
            for (Expression restriction : scope.restrictions) {
                for (Expression conjunct : conjuncts(restriction)) {
                    keyEquality(scope, conjunct, scopes, sharded, parent);
                }
            }
            for (Expression on : scope.outerJoinConditions) {
                for (Expression conjunct : conjuncts(on)) {
                    // Outer-join pairs are co-located too; their NULL side never anchors (see keyClass).
                    keyEquality(scope, conjunct, scopes, sharded, parent);
                }
            }
            for (QueryScope.UsingJoin using : scope.usingJoins) {
                for (TableOccurrence left : using.left()) {
                    for (String column : using.columns()) {
                        if (isKey(using.joined(), column) && isKey(left, column)) {
                            union(parent, sharded, using.joined(), left);
                        }
                    }
                }
            }
        }
        Map<Integer, List<TableOccurrence>> members = new LinkedHashMap<>();
        for (int i = 0; i < sharded.size(); i++) {
            members.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(sharded.get(i));
        }
        return members.values().stream().map(RoutingAnalysis::keyClass).toList();
    }

    private static boolean isKey(TableOccurrence t, String column) {
        return t.sharded().map(s -> s.isShardKey(column)).orElse(false);
    }

    /** Unions the key classes of {@code a.k = b.k} or {@code a.k IN (SELECT b.k ...)} when both are bound shard keys. */
    private static void keyEquality(QueryScope scope, Expression conjunct, ScopeCollector.Scopes scopes,
                                    List<TableOccurrence> sharded, int[] parent) {
        if (conjunct instanceof EqualsTo equals
                && unwrap(equals.getLeftExpression()) instanceof Column left
                && unwrap(equals.getRightExpression()) instanceof Column right) {
            Optional<TableOccurrence> a = scope.resolve(left).filter(t -> QueryScope.isShardKeyOf(left, t));
            Optional<TableOccurrence> b = scope.resolve(right).filter(t -> QueryScope.isShardKeyOf(right, t));
            if (a.isPresent() && b.isPresent()) {
                union(parent, sharded, a.get(), b.get());
            }
        } else if (conjunct instanceof InExpression in && !in.isNot()
                && unwrap(in.getLeftExpression()) instanceof Column left
                && in.getRightExpression() instanceof ParenthesedSelect subquery) {
            QueryScope inner = scopes.subqueries().get(subquery);
            // Only a plain subquery returns, on each node, exactly the keys of that node's rows.
            if (inner != null && inner.plain && unwrap(inner.singleSelectExpression) instanceof Column right) {
                Optional<TableOccurrence> a = scope.resolve(left).filter(t -> QueryScope.isShardKeyOf(left, t));
                Optional<TableOccurrence> b = inner.resolve(right).filter(t -> QueryScope.isShardKeyOf(right, t));
                if (a.isPresent() && b.isPresent()) {
                    union(parent, sharded, a.get(), b.get());
                }
            }
        }
    }

    private static Expression unwrap(Expression e) {
        return e instanceof ParenthesedExpressionList<?> p && p.size() == 1 ? unwrap(p.getFirst()) : e;
    }

    private static List<Expression> conjuncts(Expression e) {
        Expression inner = unwrap(e);
        if (inner instanceof AndExpression and) {
            List<Expression> all = new ArrayList<>(conjuncts(and.getLeftExpression()));
            all.addAll(conjuncts(and.getRightExpression()));
            return all;
        }
        return List.of(inner);
    }

    private static void union(int[] parent, List<TableOccurrence> sharded, TableOccurrence a, TableOccurrence b) {
        if (!a.sharded().orElseThrow().isBoundTo(b.sharded().orElseThrow())) {
            return;
        }
        int ra = find(parent, indexOf(sharded, a));
        int rb = find(parent, indexOf(sharded, b));
        parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }

    private static int indexOf(List<TableOccurrence> sharded, TableOccurrence t) {
        for (int i = 0; i < sharded.size(); i++) {
            if (sharded.get(i) == t) {
                return i;
            }
        }
        throw new IllegalStateException("not a sharded occurrence: " + t);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static KeyClass keyClass(List<TableOccurrence> members) {
        boolean anchored = members.stream().anyMatch(t -> t.scope().driving && !t.nullable());
        boolean driving = members.stream().anyMatch(t -> t.scope().driving);
        // Anchored: the result rows' blocks restrict where rows are. Otherwise: each member's own block restricts it.
        Set<QueryScope> restricting = new LinkedHashSet<>();
        members.stream().filter(t -> !anchored || t.scope().driving).forEach(t -> restricting.add(t.scope()));
        KeyCondition condition = new KeyCondition.Any();
        for (QueryScope scope : restricting) {
            KeyConditionExtractor extractor = new KeyConditionExtractor(column -> {
                List<TableOccurrence> candidates = scope.candidates(column);
                return !candidates.isEmpty() && candidates.stream()
                        .allMatch(t -> members.contains(t) && !t.nullable() && QueryScope.isShardKeyOf(column, t));
            });
            for (Expression restriction : scope.restrictions) {
                condition = KeyCondition.and(condition, extractor.extract(restriction));
            }
        }
        Reason reason = driving ? Reason.OUTER_JOIN
                : members.stream().allMatch(t -> t.scope().role == Role.SET_OPERATION) ? Reason.SET_OPERATION
                : Reason.SUBQUERY;
        return new KeyClass(List.copyOf(members), anchored, condition, reason);
    }

    /** Why a key class is not anchored, for the refusal message. */
    private enum Reason {
        OUTER_JOIN,
        SET_OPERATION,
        SUBQUERY
    }

    /**
     * Sharded table occurrences whose matching rows are always on one node.
     *
     * @param members   the occurrences, all bound to each other
     * @param anchored  whether one of them produces result rows
     * @param condition what the restricting WHERE clauses say about the shard key
     * @param reason    why it is not anchored, if it is not
     */
    private record KeyClass(List<TableOccurrence> members, boolean anchored, KeyCondition condition, Reason reason) {

        ShardedTableRule rule() {
            return members.getFirst().sharded().orElseThrow();
        }

        /** The node indexes the condition allows. */
        BitSet nodes(List<?> parameters) {
            ShardedTableRule rule = rule();
            return rule.nodesOf(condition.buckets(rule.algorithm(), parameters));
        }

        Optional<DataNode> singleNode(List<?> parameters) {
            BitSet nodes = nodes(parameters);
            return nodes.cardinality() == 1 ? Optional.of(rule().slices().get(nodes.nextSetBit(0)).node()) : Optional.empty();
        }

        String tables() {
            return members.stream().map(t -> t.name().toString()).distinct().collect(Collectors.joining(", "));
        }
    }
}
