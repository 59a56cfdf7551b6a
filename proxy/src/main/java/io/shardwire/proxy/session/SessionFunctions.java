package io.shardwire.proxy.session;

import io.shardwire.proxy.protocol.constant.ServerVersion;
import io.shardwire.router.parse.SqlStatementParser;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import net.sf.jsqlparser.expression.Alias;
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
 * what they send). In the select list of a SELECT without FROM they become literals, named
 * as the client wrote them; the rest of the statement still runs on a backend. A prepared statement gets them at its
 * prepare, except {@code DATABASE()} and {@code SCHEMA()} ({@link #rewritePrepared}).
 */
final class SessionFunctions {

    /** A cheap test before parsing: every statement goes through here. */
    private static final Pattern MAY_NAME_ONE = Pattern.compile(
            "(?i)CONNECTION_ID|USER|DATABASE|SCHEMA|@@VERSION|MAX_ALLOWED_PACKET");

    private final SqlStatementParser parser = new SqlStatementParser();
    private final int connectionId;
    private final String userAtHost;
    private final String currentUser;
    private final long maxAllowedPacket;

    SessionFunctions(int connectionId, String user, String clientHost, long maxAllowedPacket) {
        this.maxAllowedPacket = maxAllowedPacket;
        this.connectionId = connectionId;
        this.userAtHost = user + "@" + clientHost;
        this.currentUser = user + "@%";
    }

    /** {@code sql} with the session's functions answered, or empty when it names none (or is not such a SELECT). */
    Optional<String> rewrite(String sql, String schema) {
        return rewrite(sql, schema, true);
    }

    /**
     * {@link #rewrite} for a statement prepared now and executed later: only the functions whose value holds for the
     * session's life are answered; {@code DATABASE()} and {@code SCHEMA()} follow USE, so they are left to the backend.
     */
    Optional<String> rewritePrepared(String sql) {
        return rewrite(sql, null, false);
    }

    private Optional<String> rewrite(String sql, String schema, boolean withSchema) {
        if (!MAY_NAME_ONE.matcher(sql).find()) {
            return Optional.empty();
        }
        if (!(parser.parse(sql).orElse(null) instanceof PlainSelect select) || select.getFromItem() != null) {
            return Optional.empty();
        }
        boolean changed = false;
        var items = select.getSelectItems();
        for (int i = 0; i < items.size(); i++) {
            SelectItem<?> item = items.get(i);
            Expression value = valueOf(item.getExpression(), schema, withSchema);
            if (value == null) {
                continue;
            }
            Alias alias = item.getAlias() != null ? item.getAlias()
                    : new Alias("`" + item.getExpression().toString().replace("`", "``") + "`", true);
            items.set(i, new SelectItem<>(value, alias));
            changed = true;
        }
        return changed ? Optional.of(select.toString()) : Optional.empty();
    }

    /** The literal for a session function, or null if {@code expression} is none. */
    private Expression valueOf(Expression expression, String schema, boolean withSchema) {
        String name;
        switch (expression) {
            case Function f when f.getParameters() == null || f.getParameters().isEmpty() ->
                    name = f.getName().toUpperCase(Locale.ROOT);
            case UserVariable v when v.isDoubleAdd() -> name = "@@" + v.getName().toUpperCase(Locale.ROOT);
            // CURRENT_USER may be written without parentheses.
            case Column c when c.getTable() == null && c.getColumnName().equalsIgnoreCase("CURRENT_USER") ->
                    name = "CURRENT_USER";
            default -> {
                return null;
            }
        }
        return switch (name) {
            case "CONNECTION_ID" -> new LongValue(connectionId);
            case "USER", "SESSION_USER", "SYSTEM_USER" -> literal(userAtHost);
            case "CURRENT_USER" -> literal(currentUser);
            case "DATABASE", "SCHEMA" -> !withSchema ? null : schema == null ? new NullValue() : literal(schema);
            case "@@VERSION", "@@SESSION.VERSION", "@@GLOBAL.VERSION" -> literal(ServerVersion.VERSION);
            case "@@VERSION_COMMENT", "@@SESSION.VERSION_COMMENT", "@@GLOBAL.VERSION_COMMENT" ->
                    literal(ServerVersion.COMMENT);
            case "@@MAX_ALLOWED_PACKET", "@@SESSION.MAX_ALLOWED_PACKET", "@@GLOBAL.MAX_ALLOWED_PACKET" ->
                    new LongValue(maxAllowedPacket);
            default -> null;
        };
    }

    private static StringValue literal(String text) {
        return new StringValue(text.replace("\\", "\\\\").replace("'", "''"));
    }
}
