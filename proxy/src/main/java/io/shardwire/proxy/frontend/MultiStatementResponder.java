package io.shardwire.proxy.frontend;

import com.mysql.cj.result.Field;
import io.shardwire.proxy.protocol.constant.MySQLStatusFlag;
import io.shardwire.proxy.session.ClientGoneException;
import io.shardwire.proxy.session.ForwardingResponder;
import io.shardwire.proxy.session.Responder;
import io.shardwire.router.merge.MergedResult;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The responder of one statement of a multi-statement COM_QUERY. Unless the statement is the last, every result it
 * ends says that more follow ({@code SERVER_MORE_RESULTS_EXISTS}); it remembers an error, after which MariaDB runs
 * none of the statements left. Reads take the JDBC path: the native relay answers a command of its own, numbering
 * its packets from the first and ending with the backend's own status.
 */
final class MultiStatementResponder extends ForwardingResponder {

    private final int moreResults;
    private boolean failed;

    /** @param last whether the statement is the text's last: its results end the response */
    MultiStatementResponder(Responder responder, boolean last) {
        super(responder);
        this.moreResults = last ? 0 : MySQLStatusFlag.SERVER_MORE_RESULTS_EXISTS.value();
    }

    /** Whether a statement answered through this responder failed. */
    boolean failed() {
        return failed;
    }

    @Override
    public void ok(long affectedRows, long lastInsertId, int statusFlags) throws ClientGoneException {
        client.ok(affectedRows, lastInsertId, statusFlags | moreResults);
    }

    @Override
    public void rows(ResultSet resultSet, StatusFlags statusAtEnd) throws ClientGoneException, SQLException {
        client.rows(resultSet, () -> statusAtEnd.get() | moreResults);
    }

    @Override
    public void binaryRows(ResultSet resultSet, StatusFlags statusAtEnd) throws ClientGoneException, SQLException {
        client.binaryRows(resultSet, () -> statusAtEnd.get() | moreResults);
    }

    @Override
    public void binaryRowsReadAhead(ResultSet resultSet, boolean onFirstRow, StatusFlags statusAtEnd)
            throws ClientGoneException, SQLException {
        client.binaryRowsReadAhead(resultSet, onFirstRow, () -> statusAtEnd.get() | moreResults);
    }

    @Override
    public void mergedRows(Field[] fields, MergedResult rows, int statusFlags, boolean binary)
            throws ClientGoneException {
        client.mergedRows(fields, rows, statusFlags | moreResults, binary);
    }

    @Override
    public void rows(List<String> columnNames, List<List<String>> values, int statusFlags) throws ClientGoneException {
        client.rows(columnNames, values, statusFlags | moreResults);
    }

    @Override
    public void rows(Field[] columns, List<List<String>> values, int statusFlags) throws ClientGoneException {
        client.rows(columns, values, statusFlags | moreResults);
    }

    @Override
    public void binaryRows(List<String> columnNames, List<List<String>> values, int statusFlags)
            throws ClientGoneException {
        client.binaryRows(columnNames, values, statusFlags | moreResults);
    }

    @Override
    public void rows(String columnName, Iterable<String> values, int statusFlags) throws ClientGoneException {
        client.rows(columnName, values, statusFlags | moreResults);
    }

    @Override
    public void error(int errorCode, String sqlState, String message) throws ClientGoneException {
        failed = true;
        client.error(errorCode, sqlState, message);
    }
}
