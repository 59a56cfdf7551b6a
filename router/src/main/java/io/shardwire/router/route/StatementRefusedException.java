package io.shardwire.router.route;

import java.util.List;

/**
 * A statement the sharding planner will not run because it cannot answer it exactly: it would
 * need rows from several data nodes combined in a way only one server can (a join of tables that
 * are not co-located, a subquery over another node's rows), or it would put a row where it cannot
 * be found again (a missing or changed shard key). The message names the construct and the
 * tables; the proxy answers it as MySQL error 1105 (ER_UNKNOWN_ERROR).
 */
public final class StatementRefusedException extends Exception {

    /** Which construct was refused. */
    public enum Construct {
        /** A join of sharded tables that are not bound to each other, or bound ones not joined on their shard keys. */
        CROSS_NODE_JOIN,
        /** An outer join whose preserved side is not sharded while its other side is. */
        CROSS_NODE_OUTER_JOIN,
        /** A subquery (IN, EXISTS, scalar, derived table, CTE) over a sharded table that is not correlated on its shard key. */
        CROSS_NODE_SUBQUERY,
        /** UNION, INTERSECT or EXCEPT over a sharded table spread over several data nodes. */
        CROSS_NODE_SET_OPERATION,
        /** Tables whose only copies are on different shard groups. */
        CROSS_SHARD_GROUP,
        /** An INSERT into a sharded table without the shard key and without a generator for it. */
        MISSING_SHARD_KEY,
        /** A shard key value the table's algorithm cannot place, or one that is not a literal or parameter. */
        UNPLACEABLE_SHARD_KEY,
        /** An UPDATE (or INSERT ... ON DUPLICATE KEY UPDATE) that assigns the shard key. */
        SHARD_KEY_UPDATE,
        /** UPDATE or DELETE with ORDER BY or LIMIT over several data nodes. */
        CROSS_NODE_LIMITED_WRITE,
        /** A statement form the planner does not support on sharded or broadcast tables (e.g. DDL, INSERT ... SELECT). */
        UNSUPPORTED_STATEMENT,
        /**
         * A statement the SQL parser cannot read that names a table spread over data nodes: bad SQL, or syntax the
         * parser lacks; answered as a syntax error (1064), which it is to the proxy.
         */
        UNREADABLE_STATEMENT
    }

    private final Construct construct;
    private final List<String> tables;

    public StatementRefusedException(Construct construct, List<String> tables, String message) {
        super(message);
        this.construct = construct;
        this.tables = List.copyOf(tables);
    }

    /** The construct that was refused. */
    public Construct construct() {
        return construct;
    }

    /** The logical tables involved, as {@code schema.table}. */
    public List<String> tables() {
        return tables;
    }

    /** The MySQL error code to answer with: 1105, ER_UNKNOWN_ERROR, as MySQL uses for "not supported here". */
    public int errorCode() {
        return construct == Construct.UNREADABLE_STATEMENT ? 1064 : 1105;
    }

    /** The SQLSTATE of {@link #errorCode()}. */
    public String sqlState() {
        return construct == Construct.UNREADABLE_STATEMENT ? "42000" : "HY000";
    }
}
