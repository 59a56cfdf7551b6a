package io.shardwire.proxy.session;

import io.shardwire.router.metadata.InformationSchemaView;
import io.shardwire.router.rule.ShardingRules;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Queries of {@code information_schema} tables that name schemas and tables, rewritten to read
 * logical names through {@link InformationSchemaView}. The viewed tables' column lists are read
 * once per process from the first backend asked (all backends run the same server version).
 * Thread-safe.
 */
final class InformationSchemaQueries {

    private final InformationSchemaView view;
    private static volatile Map<String, List<String>> columns;

    InformationSchemaQueries(ShardingRules rules) {
        this.view = new InformationSchemaView(rules);
    }

    /**
     * The statement to run instead of {@code sql} on {@code group}, if it reads a viewed table.
     *
     * @param currentSchema the session's logical schema, or null
     * @param schemas       the logical schemas the user may see
     * @param backend       a connection to {@code group}, to learn the column lists the first time
     */
    Optional<String> rewrite(String sql, String currentSchema, List<String> schemas, String group, Connection backend)
            throws SQLException {
        if (!InformationSchemaView.mayRead(sql)) {
            return Optional.empty();
        }
        return view.rewrite(sql, currentSchema, schemas, group, columns(backend));
    }

    private Map<String, List<String>> columns(Connection backend) throws SQLException {
        Map<String, List<String>> known = columns;
        if (known != null) {
            return known;
        }
        String tables = InformationSchemaView.viewedTables().stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "));
        Map<String, List<String>> loaded = new HashMap<>();
        try (Statement s = backend.createStatement();
             ResultSet rows = s.executeQuery("SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS"
                     + " WHERE TABLE_SCHEMA = 'information_schema' AND TABLE_NAME IN (" + tables + ")"
                     + " ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
            while (rows.next()) {
                loaded.computeIfAbsent(rows.getString(1).toUpperCase(java.util.Locale.ROOT), t -> new ArrayList<>())
                        .add(rows.getString(2));
            }
        }
        columns = Map.copyOf(loaded);
        return columns;
    }
}
