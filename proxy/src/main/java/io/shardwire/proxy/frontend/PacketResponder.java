package io.shardwire.proxy.frontend;

import com.mysql.cj.result.Field;
import io.shardwire.proxy.metrics.StatementRecorder;
import io.shardwire.proxy.protocol.binary.MySQLBinaryResultSetRowPacket;
import io.shardwire.proxy.protocol.binary.MySQLTextToBinary;
import io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag;
import io.shardwire.proxy.protocol.constant.MySQLCharacterSet;
import io.shardwire.proxy.protocol.constant.MySQLColumnType;
import io.shardwire.proxy.protocol.constant.MySQLStatusFlag;
import io.shardwire.proxy.protocol.packet.command.MySQLComStmtPrepareOKPacket;
import io.shardwire.proxy.protocol.packet.generic.MySQLEofPacket;
import io.shardwire.proxy.protocol.packet.generic.MySQLErrPacket;
import io.shardwire.proxy.protocol.packet.generic.MySQLOKPacket;
import io.shardwire.proxy.protocol.packet.generic.MySQLStringPacket;
import io.shardwire.proxy.protocol.packet.resultset.MySQLColumnCountPacket;
import io.shardwire.proxy.protocol.packet.resultset.MySQLColumnDefinition41Packet;
import io.shardwire.proxy.protocol.packet.resultset.MySQLTextResultSetRowPacket;
import io.shardwire.proxy.backend.BackendStatement;
import io.shardwire.proxy.session.ClientGoneException;
import io.shardwire.proxy.session.LastRowCount;
import io.shardwire.proxy.session.Responder;
import io.shardwire.proxy.session.ResultsCharset;
import io.shardwire.proxy.session.Session;
import io.shardwire.router.merge.MergedResult;
import io.shardwire.router.rule.LogicalNames;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Encodes a session's results as MySQL packets. Column definitions are the backend's own (type,
 * flags, collation, length and decimals from Connector/J's field metadata) and row values are the
 * bytes the backend sent, text or binary, so clients see exactly what the server would have shown them,
 * except that schema and table names are the logical ones ({@link ColumnDefinitions}).
 *
 * <p>Not thread-safe: used by the worker running the session's current command.
 */
final class PacketResponder implements Responder {

    private final PacketChannel out;
    private final boolean deprecateEof;
    private final LogicalNames names;
    private final StatementRecorder recorder;
    private final ColumnDefinitionCache resultColumns;
    /** The connection's native path, or null when it has none. */
    private final NativeReads nativeReads;
    /** Told each statement's outcome, for ROW_COUNT(). */
    private final LastRowCount rowCount;
    /** The session's results charset (empty: unconverted), which text columns are converted to. */
    private final Supplier<Optional<ResultsCharset>> resultsCharset;

    /**
     * @param names       the logical names of the physical databases and tables that result metadata names
     * @param recorder    told of each error sent and of each statement's data nodes
     * @param nativeReads the connection's native path, or null
     * @param resultsCharset the session's results charset, asked at each result
     */
    PacketResponder(PacketChannel out, int clientCapabilities, LogicalNames names, StatementRecorder recorder,
                    NativeReads nativeReads, LastRowCount rowCount, Supplier<Optional<ResultsCharset>> resultsCharset) {
        this.out = out;
        this.resultsCharset = resultsCharset;
        this.rowCount = rowCount;
        this.nativeReads = nativeReads;
        this.recorder = recorder;
        this.deprecateEof = MySQLCapabilityFlag.CLIENT_DEPRECATE_EOF.isSet(clientCapabilities);
        this.names = names;
        this.resultColumns = new ColumnDefinitionCache(names);
    }

    @Override
    public void ok(long affectedRows, long lastInsertId, int statusFlags) throws ClientGoneException {
        rowCount.ok(affectedRows);
        out.writeAndFlush(new MySQLOKPacket(affectedRows, lastInsertId, statusFlags, 0, ""));
    }

    @Override
    public void error(int errorCode, String sqlState, String message) throws ClientGoneException {
        rowCount.rows();
        recorder.failed(errorCode);
        out.writeAndFlush(new MySQLErrPacket(errorCode, sqlState, message));
    }

    /** Whether the current command may be relayed natively: not one sent in several pieces (16 MB or more). */
    private boolean nativeAllowed = true;

    /** Set before each command on the worker: the native relay numbers its packets from 1. */
    void allowNative(boolean allowed) {
        nativeAllowed = allowed;
    }

    @Override
    public boolean relaysNatively() {
        return nativeReads != null && nativeAllowed;
    }

    @Override
    public boolean relayNatively(Session.NativeRead read) {
        rowCount.rows();
        return nativeReads.query(read);
    }

    @Override
    public void routed(int dataNodes) {
        recorder.routed(dataNodes);
    }

    @Override
    public void rows(ResultSet resultSet, StatusFlags statusAtEnd) throws ClientGoneException, SQLException {
        writeResultSet(resultSet, null, statusAtEnd, false);
    }

    @Override
    public void binaryRows(ResultSet resultSet, StatusFlags statusAtEnd) throws ClientGoneException, SQLException {
        writeResultSet(resultSet, null, statusAtEnd, true);
    }

    @Override
    public void binaryRowsReadAhead(ResultSet resultSet, boolean onFirstRow, StatusFlags statusAtEnd)
            throws ClientGoneException, SQLException {
        writeResultSet(resultSet, onFirstRow, statusAtEnd, true);
    }

    /**
     * Streams a backend result: its own column definitions, then each row's values as the backend
     * sent them (text for COM_QUERY, binary for COM_STMT_EXECUTE), then the end-of-result status.
     *
     * @param readAhead what the caller's first {@code next()} returned, or null when the result was not moved yet
     */
    private void writeResultSet(ResultSet resultSet, Boolean readAhead, StatusFlags statusAtEnd, boolean binary)
            throws ClientGoneException, SQLException {
        Field[] fields = BackendStatement.fieldsOf(resultSet);
        ResultTranscoder transcoder = writeColumns(fields, statusAtEnd.get());
        int[] types = new int[fields.length];
        for (int i = 0; i < fields.length; i++) {
            types[i] = fields[i].getMysqlTypeId();
        }
        for (boolean onRow = readAhead != null ? readAhead : resultSet.next(); onRow; onRow = resultSet.next()) {
            // A fresh array per row: the packet is encoded later, on the event loop.
            byte[][] values = new byte[fields.length][];
            for (int i = 0; i < values.length; i++) {
                values[i] = transcoder.value(i, resultSet.getBytes(i + 1));
            }
            out.write(binary ? new MySQLBinaryResultSetRowPacket(types, values) : new MySQLTextResultSetRowPacket(values));
        }
        end(statusAtEnd.get());
    }

    @Override
    public void prepared(long statementId, int parameterCount, Field[] columns) throws ClientGoneException {
        out.write(new MySQLComStmtPrepareOKPacket(statementId, columns.length, parameterCount, 0));
        if (parameterCount > 0) {
            for (int i = 0; i < parameterCount; i++) {
                // MySQL describes every placeholder alike: "?", VAR_STRING, binary.
                out.write(new MySQLColumnDefinition41Packet("", "", "", "?", "", MySQLCharacterSet.BINARY, 0,
                        MySQLColumnType.VAR_STRING, 0, 0));
            }
            if (!deprecateEof) {
                out.write(new MySQLEofPacket(0, MySQLStatusFlag.SERVER_STATUS_AUTOCOMMIT.value()));
            }
        }
        if (columns.length > 0) {
            ResultTranscoder transcoder = transcoder(columns);
            for (int i = 0; i < columns.length; i++) {
                out.write(transcoder.definition(i, ColumnDefinitions.of(columns[i], names)));
            }
            if (!deprecateEof) {
                out.write(new MySQLEofPacket(0, MySQLStatusFlag.SERVER_STATUS_AUTOCOMMIT.value()));
            }
        }
        out.flushAll();
    }

    /** Writes a result's column count and definitions; returns how its rows' values are converted for the client. */
    private ResultTranscoder writeColumns(Field[] fields, int statusFlags) throws ClientGoneException {
        rowCount.rows();
        out.write(new MySQLColumnCountPacket(fields.length));
        ResultTranscoder transcoder = transcoder(fields);
        MySQLColumnDefinition41Packet[] definitions = resultColumns.of(fields);
        for (int i = 0; i < definitions.length; i++) {
            out.write(transcoder.definition(i, definitions[i]));
        }
        if (!deprecateEof) {
            out.write(new MySQLEofPacket(0, statusFlags));
        }
        return transcoder;
    }

    private ResultTranscoder transcoder(Field[] fields) {
        int[] collations = new int[fields.length];
        for (int i = 0; i < fields.length; i++) {
            collations[i] = fields[i].getCollationIndex();
        }
        return ResultTranscoder.of(collations, resultsCharset.get());
    }

    @Override
    public void fieldList(Field[] columns, int statusFlags) throws ClientGoneException {
        ResultTranscoder transcoder = transcoder(columns);
        for (int i = 0; i < columns.length; i++) {
            out.write(transcoder.definition(i, ColumnDefinitions.of(columns[i], names)));
        }
        end(statusFlags);
    }

    @Override
    public void optionSet(int statusFlags) throws ClientGoneException {
        out.writeAndFlush(new MySQLEofPacket(0, statusFlags));
    }

    @Override
    public void statistics(String line) throws ClientGoneException {
        out.writeAndFlush(new MySQLStringPacket(line));
    }

    @Override
    public void mergedRows(Field[] fields, MergedResult rows, int statusFlags, boolean binary) throws ClientGoneException {
        int count = rows.columns().size();
        ResultTranscoder transcoder = writeColumns(Arrays.copyOf(fields, count), statusFlags);
        int[] types = new int[count];
        for (int i = 0; i < count; i++) {
            types[i] = fields[i].getMysqlTypeId();
        }
        while (rows.next()) {
            byte[][] values = new byte[count][];
            for (int i = 0; i < count; i++) {
                byte[] text = transcoder.value(i, rows.value(i));
                values[i] = !binary || text == null ? text
                        : MySQLTextToBinary.convert(types[i], fields[i].getFlags() & 0xFFFF, text);
            }
            out.write(binary ? new MySQLBinaryResultSetRowPacket(types, values) : new MySQLTextResultSetRowPacket(values));
        }
        end(statusFlags);
    }

    @Override
    public void rows(String columnName, Iterable<String> values, int statusFlags) throws ClientGoneException {
        List<List<String>> rows = new ArrayList<>();
        values.forEach(value -> rows.add(List.of(value)));
        rows(List.of(columnName), rows, statusFlags);
    }

    @Override
    public void rows(List<String> columnNames, List<List<String>> values, int statusFlags) throws ClientGoneException {
        writeStringRows(columnNames, values, statusFlags, false);
    }

    @Override
    public void rows(Field[] columns, List<List<String>> values, int statusFlags) throws ClientGoneException {
        ResultTranscoder transcoder = writeColumns(columns, statusFlags);
        for (List<String> row : values) {
            byte[][] bytes = new byte[row.size()][];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = transcoder.encode(i, row.get(i));
            }
            out.write(new MySQLTextResultSetRowPacket(bytes));
        }
        end(statusFlags);
    }

    @Override
    public void binaryRows(List<String> columnNames, List<List<String>> values, int statusFlags)
            throws ClientGoneException {
        writeStringRows(columnNames, values, statusFlags, true);
    }

    /** Columns of strings the proxy describes itself, and their rows: text, or binary (a string is alike in both). */
    private void writeStringRows(List<String> columnNames, List<List<String>> values, int statusFlags, boolean binary)
            throws ClientGoneException {
        rowCount.rows();
        out.write(new MySQLColumnCountPacket(columnNames.size()));
        int[] collations = new int[columnNames.size()];
        Arrays.fill(collations, MySQLCharacterSet.UTF8MB4_GENERAL_CI);
        ResultTranscoder transcoder = ResultTranscoder.of(collations, resultsCharset.get());
        for (int i = 0; i < columnNames.size(); i++) {
            String name = columnNames.get(i);
            out.write(transcoder.definition(i, new MySQLColumnDefinition41Packet("", "", "", name, name,
                    MySQLCharacterSet.UTF8MB4_GENERAL_CI, 1024 * 4, MySQLColumnType.VAR_STRING, 0, 0)));
        }
        if (!deprecateEof) {
            out.write(new MySQLEofPacket(0, statusFlags));
        }
        int[] types = new int[columnNames.size()];
        Arrays.fill(types, MySQLColumnType.VAR_STRING.value());
        for (List<String> row : values) {
            byte[][] bytes = new byte[row.size()][];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = transcoder.encode(i, row.get(i));
            }
            out.write(binary ? new MySQLBinaryResultSetRowPacket(types, bytes) : new MySQLTextResultSetRowPacket(bytes));
        }
        end(statusFlags);
    }

    private void end(int statusFlags) throws ClientGoneException {
        out.writeAndFlush(deprecateEof
                ? MySQLOKPacket.endOfResultSet(0, statusFlags)
                : new MySQLEofPacket(0, statusFlags));
    }
}
