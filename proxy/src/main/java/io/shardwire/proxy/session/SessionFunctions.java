package io.shardwire.proxy.session;

import io.shardwire.proxy.protocol.constant.MySQLStatusFlag;
import io.shardwire.proxy.protocol.constant.ServerVersion;
import io.shardwire.router.parse.ResultColumnNames;
import io.shardwire.router.parse.SqlStatementParser;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.UserVariable;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * The functions and variables that describe the client's own session, which a backend would answer about the
 * proxy's pooled connection instead: {@code CONNECTION_ID()} (the proxy's id, the one KILL takes), {@code USER()},
 * {@code SESSION_USER()} and {@code SYSTEM_USER()} (the client's user@host), {@code CURRENT_USER()} (user@%),
 * {@code DATABASE()} and {@code SCHEMA()} (the logical schema or NULL), {@code @@version} and
 * {@code @@version_comment} (the proxy's), {@code @@max_allowed_packet} (the proxy's limit, by which drivers size
 * what they send), {@code @@autocommit} and {@code @@in_transaction} (the session's, which a backend learns only when a
 * statement reaches it), {@code ROW_COUNT()} (the session's last statement's, {@link LastRowCount}). In the select list of a SELECT without FROM they become literals, named
 * as the client wrote them; the rest of the statement still runs on a backend. A prepared statement gets them at its
 * prepare, and again at each execute when it names the schema or the transaction's state ({@link #followsSession}).
 */
final class SessionFunctions {

    /** A cheap test before parsing: every statement goes through here. */
    private static final Pattern MAY_NAME_ONE = Pattern.compile(
            "(?i)CONNECTION_ID|USER|DATABASE|SCHEMA|@@VERSION|MAX_ALLOWED_PACKET|AUTOCOMMIT|IN_TRANSACTION|ROW_COUNT"
                    + "|CHARACTER_SET_RESULTS");

    private final SqlStatementParser parser = new SqlStatementParser();
    private final int connectionId;
    private final String userAtHost;
    private final String currentUser;
    private final long maxAllowedPacket;
    /** The session's status flags, for its autocommit and transaction state. */
    private final IntSupplier statusFlags;
    private final LastRowCount rowCount;
    /** The session's results charset: the backends' is always NULL. */
    private final Supplier<Optional<ResultsCharset>> resultsCharset;

    SessionFunctions(int connectionId, String user, String clientHost, long maxAllowedPacket, IntSupplier statusFlags,
                     LastRowCount rowCount, Supplier<Optional<ResultsCharset>> resultsCharset) {
        this.resultsCharset = resultsCharset;
        this.maxAllowedPacket = maxAllowedPacket;
        this.statusFlags = statusFlags;
        this.rowCount = rowCount;
        this.connectionId = connectionId;
        this.userAtHost = user + "@" + clientHost;
        this.currentUser = user + "@%";
    }

    /** {@code sql} with the session's functions answered, or empty when it names none (or is not such a SELECT). */
    Optional<String> rewrite(String sql, String schema) {
        PlainSelect select = selectWithoutFrom(sql);
        if (select == null) {
            return Optional.empty();
        }
        boolean changed = false;
        // The statement goes on as JSqlParser writes it back: its other expressions keep the names written here.
        ResultColumnNames.alias(select, sql);
        var items = select.getSelectItems();
        for (int i = 0; i < items.size(); i++) {
            SelectItem<?> item = items.get(i);
            Expression value = valueOf(nameOf(item.getExpression()), schema);
            if (value == null) {
                continue;
            }
            items.set(i, new SelectItem<>(value, ResultColumnNames.nameOf(select, i, sql)));
            changed = true;
        }
        return changed ? Optional.of(select.toString()) : Optional.empty();
    }

    /**
     * Whether {@link #rewrite} answers something in {@code sql} that changes during the session ({@code DATABASE()},
     * {@code SCHEMA()}, {@code @@autocommit}, {@code @@in_transaction}, {@code ROW_COUNT()}, {@code
     * @@character_set_results}): as a prepared statement its value follows USE, SET NAMES,
     * COM_INIT_DB and the transaction up to each execute (as MySQL evaluates it there), so it is rewritten then.
     */
    boolean followsSession(String sql) {
        PlainSelect select = selectWithoutFrom(sql);
        return select != null && select.getSelectItems().stream()
                .map(item -> nameOf(item.getExpression()))
                .anyMatch(name -> name != null && (name.equals("DATABASE") || name.equals("SCHEMA")
                        || name.endsWith("AUTOCOMMIT") || name.endsWith("IN_TRANSACTION") || name.equals("ROW_COUNT")
                        || name.endsWith("CHARACTER_SET_RESULTS")));
    }

    /** The statement as a SELECT without FROM that may name a session function, or null. */
    private PlainSelect selectWithoutFrom(String sql) {
        if (!MAY_NAME_ONE.matcher(sql).find()) {
            return null;
        }
        return parser.parse(sql).orElse(null) instanceof PlainSelect select && select.getFromItem() == null
                ? select : null;
    }

    /** The upper-case name of a function or variable without arguments, or null if {@code expression} is none. */
    private static String nameOf(Expression expression) {
        return switch (expression) {
            case Function f when f.getParameters() == null || f.getParameters().isEmpty() ->
                    f.getName().toUpperCase(Locale.ROOT);
            case UserVariable v when v.isDoubleAdd() -> "@@" + v.getName().toUpperCase(Locale.ROOT);
            // CURRENT_USER may be written without parentheses.
            case Column c when c.getTable() == null && c.getColumnName().equalsIgnoreCase("CURRENT_USER") ->
                    "CURRENT_USER";
            default -> null;
        };
    }

    /** The literal for a session function named {@code name} (see {@link #nameOf}), or null if it is none. */
    private Expression valueOf(String name, String schema) {
        if (name == null) {
            return null;
        }
        return switch (name) {
            case "CONNECTION_ID" -> new LongValue(connectionId);
            case "USER", "SESSION_USER", "SYSTEM_USER" -> literal(userAtHost);
            case "CURRENT_USER" -> literal(currentUser);
            case "DATABASE", "SCHEMA" -> schema == null ? new NullValue() : literal(schema);
            case "@@VERSION", "@@SESSION.VERSION", "@@GLOBAL.VERSION" -> literal(ServerVersion.VERSION);
            case "@@VERSION_COMMENT", "@@SESSION.VERSION_COMMENT", "@@GLOBAL.VERSION_COMMENT" ->
                    literal(ServerVersion.COMMENT);
            case "@@MAX_ALLOWED_PACKET", "@@SESSION.MAX_ALLOWED_PACKET", "@@GLOBAL.MAX_ALLOWED_PACKET" ->
                    new LongValue(maxAllowedPacket);
            case "ROW_COUNT" -> new LongValue(rowCount.get());
            case "@@AUTOCOMMIT", "@@SESSION.AUTOCOMMIT" ->
                    new LongValue((statusFlags.getAsInt() & MySQLStatusFlag.SERVER_STATUS_AUTOCOMMIT.value()) != 0 ? 1 : 0);
            case "@@IN_TRANSACTION", "@@SESSION.IN_TRANSACTION" ->
                    new LongValue((statusFlags.getAsInt() & MySQLStatusFlag.SERVER_STATUS_IN_TRANS.value()) != 0 ? 1 : 0);
            case "@@CHARACTER_SET_RESULTS", "@@SESSION.CHARACTER_SET_RESULTS" -> resultsCharset.get()
                    .<Expression>map(results -> literal(results.charset().name())).orElseGet(NullValue::new);
            default -> null;
        };
    }

    private static StringValue literal(String text) {
        return new StringValue(text.replace("\\", "\\\\").replace("'", "''"));
    }
}
