package io.shardwire.proxy.backend;

import com.mysql.cj.jdbc.StatementImpl;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a statement executed on a backend returned: rows or an update count and the generated
 * AUTO_INCREMENT value. Shared by the text-protocol {@link BackendStatement} and the server-side
 * {@link BackendPreparedStatement}.
 *
 * <p>Not thread-safe, except {@link #jdbc()}'s cancel.
 */
abstract class BackendExecution {

    /** The JDBC statement; Connector/J's own class underneath either kind. */
    protected final Statement statement;
    /** Whether the current result has rows. */
    protected boolean resultSet;

    BackendExecution(Statement statement) {
        this.statement = statement;
    }

    /** The JDBC statement, for cancelling it from another thread. */
    public Statement jdbc() {
        return statement;
    }

    /** Whether the current result has rows. */
    public boolean isResultSet() {
        return resultSet;
    }

    /** The current result's rows. */
    public ResultSet resultSet() throws SQLException {
        return statement.getResultSet();
    }

    /** The current result's affected-row count. */
    public long updateCount() throws SQLException {
        return Math.max(0, statement.getLargeUpdateCount());
    }

    /** The AUTO_INCREMENT value the current result generated, or 0. */
    public long lastInsertId() throws SQLException {
        return statement.unwrap(StatementImpl.class).getLastInsertID();
    }
}
