package io.shardwire.proxy.backend.nativ;

import java.util.List;

/**
 * Where a native backend connection goes and how it logs in: a group's data source, its account, the data node's
 * physical database as the default one, and whether result sets end with OK (CLIENT_DEPRECATE_EOF) as the client's
 * do, so that the packets of a result can pass through unchanged in shape, and the session SETs it replays after the
 * login (connections with other SETs are other targets: a connection is only ever used in the state it was put in).
 *
 * @param group        shard group name, for errors and for dropping connections to a former primary
 * @param replica      the replica's index in the group's configuration (from 0), or {@link #PRIMARY} for the
 *                     group's primary
 * @param host         data source host
 * @param port         data source port
 * @param user         data source account
 * @param password     its password
 * @param database     default database of the connection
 * @param deprecateEof whether the connection asks for CLIENT_DEPRECATE_EOF
 * @param sessionSets  the SET statements run after the login, in order (an immutable list; usually empty)
 */
public record NativeTarget(String group, int replica, String host, int port, String user, String password,
                           String database, boolean deprecateEof, List<String> sessionSets) {

    /** {@link #replica} of a target that is the group's primary. */
    public static final int PRIMARY = -1;

    /** host:port, for errors and logs. */
    public String address() {
        return host + ":" + port;
    }

    /** Whether the target is the group's primary (else one of its replicas). */
    public boolean primary() {
        return replica == PRIMARY;
    }

    /**
     * Whether connections to this target are of no more use once {@code primary} is the group's primary: this is a
     * former primary of the group (another address), or a replica of the group at the primary's address (promoted).
     */
    boolean supersededBy(NativeTarget primary) {
        if (!primary.primary() || !group.equals(primary.group)) {
            return false;
        }
        return primary() ? !address().equals(primary.address()) : address().equals(primary.address());
    }
}
