package io.shardwire.router.plan;

import io.shardwire.router.rule.DataNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The SQL one data node runs for one execution. In planned statements, table names are fully
 * qualified physical names, so they do not depend on the connection's current database;
 * pass-through statements are the client's text, for the connection to run in {@code node.database()}.
 *
 * @param node       where to run it: the shard group's primary, in database {@code node.database()}
 *                   (null for a pass-through statement of a session without a schema)
 * @param sql        the statement, with {@code ?} where the client's statement had parameters
 * @param parameters the values for its {@code ?}s, in order (empty for a text-protocol statement)
 */
public record NodeStatement(DataNode node, String sql, List<?> parameters) {

    public NodeStatement {
        // Values may be null (SQL NULL), which List.copyOf refuses.
        parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
    }
}
