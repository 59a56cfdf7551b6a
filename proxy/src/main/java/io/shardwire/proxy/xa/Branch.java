package io.shardwire.proxy.xa;

import io.shardwire.proxy.backend.BackendConnection;

/**
 * One shard group's part of a transaction, on the session's pinned connection to that group: the
 * first group a transaction touches runs a plain transaction ({@code xid} null), every later one
 * an XA branch.
 *
 * @param group      the shard group
 * @param connection the session's connection to it
 * @param xid        the XA branch id, or null for the plain first branch
 */
public record Branch(String group, BackendConnection connection, Xid xid) {

    /** Whether this is an XA branch. */
    public boolean isXa() {
        return xid != null;
    }
}
