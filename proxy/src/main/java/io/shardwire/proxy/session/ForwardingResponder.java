package io.shardwire.proxy.session;

import com.mysql.cj.result.Field;
import io.shardwire.router.merge.MergedResult;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A responder that passes every outcome on to another, for decorators that change a few of them ({@link HeldError},
 * the frontend's multi-statement responder). It never relays natively ({@link #relaysNatively} stays false): the
 * native relay writes the client's packets itself, past any decoration.
 */
public abstract class ForwardingResponder implements Responder {

    /** Where the outcomes go. */
    protected final Responder client;

    protected ForwardingResponder(Responder client) {
        this.client = client;
    }

    @Override
    public void ok(long affectedRows, long lastInsertId, int statusFlags) throws ClientGoneException {
        client.ok(affectedRows, lastInsertId, statusFlags);
    }

    @Override
    public void rows(ResultSet resultSet, StatusFlags statusAtEnd) throws ClientGoneException, SQLException {
        client.rows(resultSet, statusAtEnd);
    }

    @Override
    public void binaryRows(ResultSet resultSet, StatusFlags statusAtEnd) throws ClientGoneException, SQLException {
        client.binaryRows(resultSet, statusAtEnd);
    }

    @Override
    public void binaryRowsReadAhead(ResultSet resultSet, boolean onFirstRow, StatusFlags statusAtEnd)
            throws ClientGoneException, SQLException {
        client.binaryRowsReadAhead(resultSet, onFirstRow, statusAtEnd);
    }

    @Override
    public void prepared(long statementId, int parameterCount, Field[] columns) throws ClientGoneException {
        client.prepared(statementId, parameterCount, columns);
    }

    @Override
    public void fieldList(Field[] columns, int statusFlags) throws ClientGoneException {
        client.fieldList(columns, statusFlags);
    }

    @Override
    public void optionSet(int statusFlags) throws ClientGoneException {
        client.optionSet(statusFlags);
    }

    @Override
    public void statistics(String line) throws ClientGoneException {
        client.statistics(line);
    }

    @Override
    public void mergedRows(Field[] fields, MergedResult rows, int statusFlags, boolean binary)
            throws ClientGoneException {
        client.mergedRows(fields, rows, statusFlags, binary);
    }

    @Override
    public void rows(List<String> columnNames, List<List<String>> values, int statusFlags) throws ClientGoneException {
        client.rows(columnNames, values, statusFlags);
    }

    @Override
    public void rows(Field[] columns, List<List<String>> values, int statusFlags) throws ClientGoneException {
        client.rows(columns, values, statusFlags);
    }

    @Override
    public void binaryRows(List<String> columnNames, List<List<String>> values, int statusFlags)
            throws ClientGoneException {
        client.binaryRows(columnNames, values, statusFlags);
    }

    @Override
    public void rows(String columnName, Iterable<String> values, int statusFlags) throws ClientGoneException {
        client.rows(columnName, values, statusFlags);
    }

    @Override
    public void routed(int dataNodes) {
        client.routed(dataNodes);
    }

    @Override
    public void error(int errorCode, String sqlState, String message) throws ClientGoneException {
        client.error(errorCode, sqlState, message);
    }
}
