package io.shardwire.router.route;

/** A statement the router refuses, with the reason as a {@link Kind} and a message naming the construct. */
public final class RouteException extends Exception {

    /** Why a statement cannot be routed. */
    public enum Kind {
        /** A schema qualifier names no logical schema. */
        UNKNOWN_SCHEMA,
        /** An unqualified table is named while the session has no schema. */
        NO_SCHEMA_SELECTED,
        /** The statement names tables that live on different shard groups. */
        CROSS_SHARD_GROUP
    }

    private final Kind kind;
    private final String subject;

    public RouteException(Kind kind, String subject, String message) {
        super(message);
        this.kind = kind;
        this.subject = subject;
    }

    /** Why the statement was refused. */
    public Kind kind() {
        return kind;
    }

    /** The name at fault: the unknown schema, the table without a schema, or the tables spanning groups. */
    public String subject() {
        return subject;
    }
}
