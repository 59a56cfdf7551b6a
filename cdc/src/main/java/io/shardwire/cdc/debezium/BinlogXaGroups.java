package io.shardwire.cdc.debezium;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what an event group is from the server's own binlog, {@code SHOW BINLOG EVENTS IN file FROM position}: the
 * GTID event of an XA branch's prepared group reads {@code XA START X'..',X'..',1 GTID 0-1-5}, and the group that
 * ends a branch holds the query {@code XA COMMIT X'..',X'..',1} or {@code XA ROLLBACK X'..',X'..',1}.
 *
 * <p>Why the binlog and not Debezium's records: Debezium 3.5 ignores every query event starting with {@code XA} and
 * the prepare event, and replacing its streaming source means copying the connector task's whole start-up, which
 * builds the source inline. The server's binlog is the very stream the connector read, so it cannot disagree; the
 * batcher asks only about groups that began and never ended (XA groups, replays), one short query each on a
 * connection kept open.
 */
final class BinlogXaGroups implements XaGroups, AutoCloseable {

    private static final Pattern XID = Pattern.compile("X'[0-9A-Fa-f]*',X'[0-9A-Fa-f]*',\\d+");

    private final String url;
    private final String user;
    private final String password;
    /** Kept open between questions, so that one costs a query, not a login; only the batcher's thread uses it. */
    private Connection connection;

    /**
     * @param url      JDBC URL of the server the capture reads
     * @param user     the capture account
     * @param password its password
     */
    BinlogXaGroups(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    @Override
    public XaGroup at(String file, long position) {
        String sql = "SHOW BINLOG EVENTS IN '" + file.replace("'", "''") + "' FROM " + position + " LIMIT 4";
        try (Statement statement = connection().createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            boolean first = true;
            while (rows.next()) {
                String type = rows.getString("Event_type");
                String info = rows.getString("Info");
                if (first && !"Gtid".equalsIgnoreCase(type)) {
                    throw new IllegalStateException("binlog " + file + " has a " + type + " event at " + position
                            + ", not the GTID event of a group: " + info);
                }
                XaGroup group = classify(first, info);
                if (group != null) {
                    return group;
                }
                first = false;
            }
            return XaGroup.PLAIN;
        } catch (SQLException e) {
            close();
            throw new IllegalStateException("could not read the binlog event group at " + file + ":" + position
                    + " (" + sql + "): " + e.getMessage(), e);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(url, user, password);
        }
        return connection;
    }

    /** Closes the connection, if open; the next question opens another. */
    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Only a connection that already failed refuses to close; nothing is left to release.
            }
            connection = null;
        }
    }

    /** @return the group's kind from its GTID event ({@code first}) or a later event, or null if this one says none */
    static XaGroup classify(boolean first, String info) {
        String text = info == null ? "" : info.trim();
        String upper = text.toUpperCase(java.util.Locale.ROOT);
        if (first) {
            return upper.startsWith("XA START") ? new XaGroup(XaGroup.Kind.PREPARED, xid(text)) : null;
        }
        if (upper.startsWith("XA COMMIT")) {
            return new XaGroup(XaGroup.Kind.COMMITTED, xid(text));
        }
        if (upper.startsWith("XA ROLLBACK")) {
            return new XaGroup(XaGroup.Kind.ROLLED_BACK, xid(text));
        }
        return upper.startsWith("XA ") ? null : XaGroup.PLAIN;
    }

    private static String xid(String info) {
        Matcher xid = XID.matcher(info);
        if (!xid.find()) {
            throw new IllegalStateException("no xid (X'..',X'..',n) in binlog event '" + info + "'");
        }
        return xid.group();
    }
}
