package io.shardwire.proxy.session;

import io.shardwire.proxy.backend.BackendPreparedStatement;
import io.shardwire.router.route.Route;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * One of a session's prepared statements: its text and route, the backend statement it runs as,
 * and what the client has sent for it between executes (parameter types, long data).
 *
 * <p>Not thread-safe: owned by its session.
 */
public final class PreparedStatementState {

    private final long id;
    private final String sql;
    private final Route.ToShardGroup route;
    private final int parameterCount;
    private final Map<Integer, ByteArrayOutputStream> longData = new HashMap<>();
    private BackendPreparedStatement backendStatement;
    private int[] boundTypes;
    private long longDataBytes;
    private boolean longDataOverflow;

    PreparedStatementState(long id, String sql, Route.ToShardGroup route, BackendPreparedStatement backendStatement,
                           int parameterCount) {
        this.id = id;
        this.sql = sql;
        this.route = route;
        this.backendStatement = backendStatement;
        this.parameterCount = parameterCount;
    }

    /** The id the client uses. */
    public long id() {
        return id;
    }

    /** The statement text as prepared. */
    public String sql() {
        return sql;
    }

    /** Where it runs. */
    public Route.ToShardGroup route() {
        return route;
    }

    /** The number of placeholders. */
    public int parameterCount() {
        return parameterCount;
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
        Map<Integer, byte[]> data = new HashMap<>();
        longData.forEach((parameter, bytes) -> data.put(parameter, bytes.toByteArray()));
        return data;
    }

    BackendPreparedStatement backendStatement() {
        return backendStatement;
    }

    void replaceBackendStatement(BackendPreparedStatement statement) {
        backendStatement.close();
        backendStatement = statement;
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

    void clearLongData() {
        longData.clear();
        longDataBytes = 0;
        longDataOverflow = false;
    }
}
