package io.shardwire.router.route;

import io.shardwire.router.parse.TableReference;
import io.shardwire.router.rule.DataNode;
import io.shardwire.router.rule.PhysicalTable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One execution of a statement: the data node it runs on and, for every logical table it names,
 * the physical table it reads there (a slice, a broadcast copy, or a single table elsewhere on the same server).
 *
 * @param node   the data node; its shard group's primary runs the statement
 * @param tables logical table -> physical table on that node's server
 */
public record ExecutionUnit(DataNode node, Map<TableReference, PhysicalTable> tables) {

    public ExecutionUnit {
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }
}
