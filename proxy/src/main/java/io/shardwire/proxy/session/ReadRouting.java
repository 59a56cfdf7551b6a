package io.shardwire.proxy.session;

import io.shardwire.config.ReadConsistency;
import io.shardwire.proxy.backend.BackendConnection;
import io.shardwire.proxy.backend.BackendPools;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one session's autocommit reads run: on a replica of the group, or on the session's primary connection.
 *
 * <p>A read may go to a replica only if its group sends reads to replicas, the session's consistency is not
 * {@code strong}, and the statement depends on nothing that lives on the session's primary connection alone:
 * locking reads ({@code FOR UPDATE}, {@code LOCK IN SHARE MODE}, {@code FOR SHARE}), user variables (read or
 * assigned), functions of the connection's history or locks ({@code LAST_INSERT_ID}, {@code FOUND_ROWS},
 * {@code GET_LOCK}, sequences...) and temporary tables the session created. Session SETs are replayed on every
 * replica connection by the session, so system variables read the same there.
 *
 * <p>With {@code session} consistency, a group the session used on its primary connection is "written": before
 * the next replica read there, the write's GTID ({@code @@last_gtid} of that connection, or the primary's whole
 * {@code @@gtid_binlog_pos} if that connection was lost) is fetched once, and a later replica read there first runs
 * {@code MASTER_GTID_WAIT} for it with the group's {@code gtidWaitTimeoutMs}; a replica that has not applied it by
 * then is left for the primary. A replica where such a wait returned 0 is not waited on again for that GTID
 * ({@link RequiredGtids}), and reads there may take the native path, until the session writes to the group again.
 *
 * <p>Not thread-safe: owned by one session.
 */
final class ReadRouting {

    private static final Logger log = LoggerFactory.getLogger(ReadRouting.class);

    static final String VARIABLE = "shardwire_consistency";

    private static final Pattern SET = Pattern.compile(
            "(?is)\\s*SET\\s+" + SetSyntax.SESSION_SCOPE + "?" + VARIABLE
                    + "\\s*(?:=|:=)\\s*(?:'([^']*)'|\"([^\"]*)\"|`([^`]*)`|([A-Za-z_]+))\\s*;?\\s*");
    private static final Pattern SELECT = Pattern.compile(
            "(?is)\\s*SELECT\\s+@@(?:SESSION\\.|LOCAL\\.)?" + VARIABLE + "\\s*;?\\s*");
    private static final Pattern SHOW = Pattern.compile(
            "(?is)\\s*SHOW\\s+(?:SESSION\\s+|LOCAL\\s+)?VARIABLES\\s+LIKE\\s+'" + VARIABLE + "'\\s*;?\\s*");
    /** Found anywhere in a statement's text; searched for, not matched with .* around it, which backtracks. */
    private static final Pattern PRIMARY_ONLY = Pattern.compile(
            "(?is)\\bFOR\\s+UPDATE\\b|\\bLOCK\\s+IN\\s+SHARE\\s+MODE\\b|\\bFOR\\s+SHARE\\b"
                    + "|(?<!@)@(?!@)|\\bLAST_INSERT_ID\\b|\\bFOUND_ROWS\\b|\\bROW_COUNT\\b|\\bSQL_CALC_FOUND_ROWS\\b"
                    + "|\\b(?:GET|RELEASE|RELEASE_ALL|IS_FREE|IS_USED)_LOCKS?\\b|\\bNEXTVAL\\b|\\bLASTVAL\\b|\\bSETVAL\\b"
                    + "|\\bNEXT\\s+VALUE\\s+FOR\\b|\\bPREVIOUS\\s+VALUE\\s+FOR\\b|\\bCONNECTION_ID\\b"
                    + "|\\bMASTER_(?:GTID|POS)_WAIT\\b|\\bINTO\\s+(?:OUTFILE|DUMPFILE)\\b");
    private static final Pattern CREATE_TEMPORARY = Pattern.compile(
            "(?is)\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?TEMPORARY\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?"
                    + "(?:`?[^`\\s.]+`?\\.)?`?([^`\\s(;]+)`?.*");

    private final BackendPools pools;
    private final boolean foundRows;
    private ReadConsistency consistency;
    /** Groups whose primary the session used since their GTID was last fetched. */
    private final Set<String> written = new HashSet<>();
    /** Groups whose primary connection was lost with the session's writes on it. */
    private final Set<String> lost = new HashSet<>();
    /** Per group, the GTID replicas must have applied before they answer this session, and those seen to have. */
    private final RequiredGtids requiredGtids = new RequiredGtids();
    /** The replica a native read was refused on by {@link #waitsForWrites}: the JDBC path's next read goes there. */
    private LeftToJdbc leftToJdbc;
    private final Set<String> temporaryTables = new HashSet<>();

    ReadRouting(BackendPools pools, boolean foundRows, ReadConsistency consistency) {
        this.pools = pools;
        this.foundRows = foundRows;
        this.consistency = consistency;
    }

    /**
     * Answers {@code SET shardwire_consistency = ...}, {@code SELECT @@shardwire_consistency} and
     * {@code SHOW VARIABLES LIKE 'shardwire_consistency'}.
     *
     * @return false when the statement is none of those
     */
    boolean answer(String sql, Responder responder, int statusFlags) throws ClientGoneException {
        Matcher set = SET.matcher(sql);
        if (set.matches()) {
            String value = firstNonNull(set);
            Optional<ReadConsistency> level = ReadConsistency.parse(value);
            if (level.isEmpty()) {
                responder.error(1231, "42000", "Variable '" + VARIABLE + "' can't be set to the value of '" + value
                        + "' (one of eventual, session, strong)");
            } else {
                consistency = level.get();
                responder.ok(0, 0, statusFlags);
            }
            return true;
        }
        if (answersSelect(sql)) {
            responder.rows(List.of("@@" + VARIABLE),
                    List.of(List.of(consistency.wireName())), statusFlags);
            return true;
        }
        if (SHOW.matcher(sql).matches()) {
            responder.rows(List.of("Variable_name", "Value"),
                    List.of(List.of(VARIABLE, consistency.wireName())), statusFlags);
            return true;
        }
        return false;
    }

    /** Whether {@link #answer} answers this SELECT itself: {@code SELECT @@shardwire_consistency}. */
    static boolean answersSelect(String sql) {
        return SELECT.matcher(sql).matches();
    }

    private static String firstNonNull(Matcher matcher) {
        for (int i = 1; i <= matcher.groupCount(); i++) {
            if (matcher.group(i) != null) {
                return matcher.group(i);
            }
        }
        return "";
    }

    /** Notes a statement the session sends, to learn the temporary tables it creates. */
    void observe(String sql) {
        Matcher temporary = CREATE_TEMPORARY.matcher(sql);
        if (temporary.matches()) {
            temporaryTables.add(temporary.group(1).toLowerCase(Locale.ROOT));
        }
    }

    /** The session used the group's primary connection (it may have written there). */
    void usedPrimary(String group) {
        written.add(group);
    }

    /** The session's primary connection to the group was lost; its writes' GTID must come from the primary's position. */
    void lostPrimary(String group) {
        if (written.contains(group)) {
            lost.add(group);
        }
    }

    /** The session ended or was reset: it starts over. */
    void reset(ReadConsistency initial) {
        consistency = initial;
        written.clear();
        lost.clear();
        requiredGtids.clear();
        leftToJdbc = null;
        temporaryTables.clear();
    }

    /**
     * A replica connection for an autocommit read of {@code sql} on the group, ready to run it (the session's
     * writes there applied, under {@code session} consistency); null when the read belongs on the primary. The replica
     * is the one the native path just left this read on ({@link #waitsForWrites}) if still in rotation, else the
     * balancer's choice.
     */
    BackendConnection replicaFor(String group, String sql, BackendConnection pinnedPrimary) {
        LeftToJdbc left = leftToJdbc;
        leftToJdbc = null;
        if (!mayUseReplicas(group) || needsPrimary(sql)) {
            return null;
        }
        String gtid = null;
        if (consistency == ReadConsistency.SESSION) {
            try {
                gtid = requiredGtid(group, pinnedPrimary);
            } catch (SQLException e) {
                log.debug("no GTID of the session's writes to {}; reading from the primary", group, e);
                return null;
            }
        }
        int preferred = left != null && left.group().equals(group) ? left.replica() : -1;
        BackendConnection replica = pools.replicaConnection(group, preferred, foundRows).orElse(null);
        if (replica == null || gtid == null || gtid.isEmpty() || requiredGtids.satisfiedAt(group, replica.address())) {
            return replica;
        }
        try {
            if (applied(replica, gtid, pools.group(group).reads().gtidWaitTimeoutMs())) {
                requiredGtids.applied(group, gtid, replica.address());
                return replica;
            }
        } catch (SQLException e) {
            log.debug("MASTER_GTID_WAIT on {} failed; reading from the primary", replica.address(), e);
        }
        replica.close();
        return null;
    }

    /**
     * Whether a read of the group on the replica chosen for it must first wait there for the session's writes:
     * {@code session} consistency, the session wrote there (or may have: it used the group's primary connection), and
     * that replica was not seen to have applied them since. If so, the choice ends here and the read is the JDBC
     * path's, which waits; its replica read of the group goes to the same replica, so that the two paths do not take
     * turns of a round-robin balancer in step and leave the native path the replica never waited on.
     */
    boolean waitsForWrites(String group, BackendPools.ChosenReplica replica) {
        leftToJdbc = null;
        if (consistency != ReadConsistency.SESSION
                || (!written.contains(group) && requiredGtids.satisfiedAt(group, replica.source().address()))) {
            return false;
        }
        replica.done().run();
        leftToJdbc = new LeftToJdbc(group, replica.index());
        return true;
    }

    /**
     * A replica in rotation for a read the proxy runs over a connection of its own, chosen as {@link #replicaFor}
     * chooses; empty when none is in rotation. For a read {@link #mayUseReplicas} lets go there and whose text needs
     * nothing of the primary; {@link #waitsForWrites} tells whether it may run there without a wait.
     */
    Optional<BackendPools.ChosenReplica> chooseReplica(String group) {
        return pools.chooseReplica(group);
    }

    /**
     * Whether the session's reads of the group may go to its replicas at all: the group sends reads there and the
     * session's consistency is not {@code strong}. Asks nothing of the statement, the replicas' health or a backend.
     */
    boolean mayUseReplicas(String group) {
        return consistency != ReadConsistency.STRONG && pools.readsFromReplicas(group);
    }

    /**
     * Whether the text alone ties the statement to the session's own primary connection (locking clause, user
     * variables, connection history): a property of the text, so a prepared statement's may be kept.
     */
    static boolean textNeedsPrimary(String sql) {
        return PRIMARY_ONLY.matcher(sql).find();
    }

    /** Whether the statement names a temporary table the session created (it lives on the primary connection). */
    boolean usesTemporaryTable(String sql) {
        if (temporaryTables.isEmpty()) {
            return false;
        }
        String lower = sql.toLowerCase(Locale.ROOT);
        return temporaryTables.stream().anyMatch(table -> Pattern.compile("\\b" + Pattern.quote(table) + "\\b")
                .matcher(lower).find());
    }

    private boolean needsPrimary(String sql) {
        return textNeedsPrimary(sql) || usesTemporaryTable(sql);
    }

    private String requiredGtid(String group, BackendConnection pinnedPrimary) throws SQLException {
        if (written.contains(group)) {
            String gtid;
            if (lost.contains(group) || pinnedPrimary == null) {
                // The connection that wrote is gone, and its @@last_gtid with it: the primary's position covers it.
                try (BackendConnection primary = pools.primaryConnection(group, foundRows)) {
                    gtid = scalar(primary, "SELECT @@gtid_binlog_pos");
                }
            } else {
                gtid = scalar(pinnedPrimary, "SELECT @@last_gtid");
            }
            if (gtid != null && !gtid.isEmpty()) {
                requiredGtids.require(group, gtid);
            }
            written.remove(group);
            lost.remove(group);
        }
        return requiredGtids.get(group);
    }

    private static String scalar(BackendConnection connection, String sql) throws SQLException {
        try (Statement statement = connection.jdbc().createStatement(); ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? result.getString(1) : null;
        }
    }

    private static boolean applied(BackendConnection replica, String gtid, long timeoutMs) throws SQLException {
        try (Statement statement = replica.jdbc().createStatement();
             ResultSet result = statement.executeQuery("SELECT MASTER_GTID_WAIT('" + gtid.replace("'", "")
                     + "', " + (timeoutMs / 1000.0) + ")")) {
            return result.next() && result.getInt(1) == 0;
        }
    }

    /** A replica (index from 0) of a group that a native read was chosen for and left to the JDBC path. */
    private record LeftToJdbc(String group, int replica) {
    }
}
