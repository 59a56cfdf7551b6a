package io.shardwire.proxy.session;

import io.shardwire.proxy.backend.BackendConnection;
import io.shardwire.proxy.backend.BackendPreparedStatement;
import io.shardwire.proxy.metrics.StatementType;
import io.shardwire.router.plan.PreparedPlan;
import java.io.ByteArrayOutputStream;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One of a session's prepared statements: its text and plan (parsed once), the backend statements
 * it runs as (one per backend connection and physical SQL, prepared on first use), and what the
 * client has sent for it between executes (parameter types, long data).
 *
 * <p>Not thread-safe: owned by its session.
 */
public final class PreparedStatementState {

    private final long id;
    private final String sql;
    /** Worked out once here rather than from the text at every execute. */
    private final StatementType type;
    private final PreparedPlan plan;
    /** The statement as a SHOW VARIABLES, which the proxy answers at each execute, or null when it is none. */
    private final ShowVariables showVariables;
    /** Whether it names the schema or the transaction's state, answered at each execute ({@link SessionFunctions#followsSession}). */
    private final boolean followsSession;
    private final Map<Integer, ByteArrayOutputStream> longData = new HashMap<>();
    private final Map<BackendKey, BackendPreparedStatement> backendStatements = new HashMap<>();
    /** {@link ReadRouting#textNeedsPrimary} per physical text, asked at every native execute and fixed per text. */
    private final Map<String, Boolean> textNeedsPrimary = new HashMap<>();
    private int[] boundTypes;
    private long longDataBytes;
    private boolean longDataOverflow;

    /** Physical texts whose {@link #textNeedsPrimary} is kept: one per data node the statement reaches, usually. */
    private static final int MAX_KEPT_TEXTS = 64;

    private record BackendKey(BackendConnection connection, String sql) {
    }

    PreparedStatementState(long id, String sql, PreparedPlan plan, boolean followsSession) {
        this.id = id;
        this.followsSession = followsSession;
        this.sql = sql;
        this.type = StatementType.of(sql);
        this.plan = plan;
        this.showVariables = StatementKeyword.of(sql) == StatementKeyword.SHOW ? ShowVariables.parse(sql).orElse(null)
                : null;
    }

    /** The id the client uses. */
    public long id() {
        return id;
    }

    /** The statement text as prepared. */
    public String sql() {
        return sql;
    }

    /** The statement's type, for the metrics and the slow-query log. */
    public StatementType type() {
        return type;
    }

    /** Whether the statement is planned again at each execute with the schema and transaction state then. */
    boolean followsSession() {
        return followsSession;
    }

    /** The statement's plan as prepared, bound anew at each execute. */
    public PreparedPlan plan() {
        return plan;
    }

    /** The statement as a SHOW VARIABLES, or null when it is none. */
    ShowVariables showVariables() {
        return showVariables;
    }

    /** The number of placeholders. */
    public int parameterCount() {
        return plan.parameterCount();
    }

    /** The parameter types the client bound last (the protocol lets it omit them on later executes), or null. */
    public int[] boundTypes() {
        return boundTypes;
    }

    /** Remembers the parameter types of this execute. */
    public void bindTypes(int[] types) {
        this.boundTypes = types;
    }

    /** Long data sent for each parameter since the last execute. */
    public Map<Integer, byte[]> longData() {
        if (longData.isEmpty()) {
            return Map.of(); // the usual execute: no map to fill
        }
        Map<Integer, byte[]> data = new HashMap<>();
        longData.forEach((parameter, bytes) -> data.put(parameter, bytes.toByteArray()));
        return data;
    }

    /** The backend statement for this physical SQL on this connection, prepared there on first use. */
    BackendPreparedStatement backendStatement(BackendConnection connection, String physicalSql) throws SQLException {
        BackendKey key = new BackendKey(connection, physicalSql);
        BackendPreparedStatement statement = backendStatements.get(key);
        if (statement == null) {
            statement = BackendPreparedStatement.prepare(connection, physicalSql);
            backendStatements.put(key, statement);
        }
        return statement;
    }

    /** {@link ReadRouting#textNeedsPrimary} of one of this statement's physical texts, worked out once per text. */
    boolean textNeedsPrimary(String physicalSql) {
        Boolean known = textNeedsPrimary.get(physicalSql);
        if (known != null) {
            return known;
        }
        boolean needs = ReadRouting.textNeedsPrimary(physicalSql);
        if (textNeedsPrimary.size() < MAX_KEPT_TEXTS) {
            textNeedsPrimary.put(physicalSql, needs);
        }
        return needs;
    }

    /** Drops the backend statements of a connection that was lost (they died with it). */
    void forget(BackendConnection connection) {
        backendStatements.keySet().removeIf(key -> key.connection() == connection);
    }

    /** Deallocates every backend statement. */
    void close() {
        backendStatements.values().forEach(BackendPreparedStatement::close);
        backendStatements.clear();
    }

    /** Keeps a piece of long data unless the total would pass {@code limit} bytes, which marks an overflow. */
    void appendLongData(int parameter, byte[] data, long limit) {
        if (longDataBytes + data.length > limit) {
            longDataOverflow = true;
            return;
        }
        longDataBytes += data.length;
        longData.computeIfAbsent(parameter, p -> new ByteArrayOutputStream()).writeBytes(data);
    }

    /** Whether long data past the limit was sent since the last execute. */
    boolean longDataOverflow() {
        return longDataOverflow;
    }

    /** Whether no long data was sent since the last execute. */
    boolean longDataEmpty() {
        return longData.isEmpty() && !longDataOverflow;
    }

    void clearLongData() {
        longData.clear();
        longDataBytes = 0;
        longDataOverflow = false;
    }
}
