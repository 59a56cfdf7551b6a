package io.shardwire.cdc.debezium;

/**
 * What a GTID event group of the binlog is, as far as XA goes: a plain transaction, an XA branch written at its
 * {@code XA PREPARE} (its rows, but not yet its outcome), or the {@code XA COMMIT} / {@code XA ROLLBACK} of a
 * branch prepared earlier (no rows).
 *
 * @param kind which of these
 * @param xid  the branch's xid as the binlog spells it ({@code X'..',X'..',1}); empty for a plain transaction
 */
record XaGroup(Kind kind, String xid) {

    /** A plain transaction (or anything not XA). */
    static final XaGroup PLAIN = new XaGroup(Kind.PLAIN, "");

    /** The kinds of event group. */
    enum Kind { PLAIN, PREPARED, COMMITTED, ROLLED_BACK }

    /** Checks that an XA group names its branch. */
    XaGroup {
        if (kind != Kind.PLAIN && (xid == null || xid.isEmpty())) {
            throw new IllegalArgumentException("xid of a " + kind + " group: '" + xid + "' (expected: the branch's)");
        }
    }
}
