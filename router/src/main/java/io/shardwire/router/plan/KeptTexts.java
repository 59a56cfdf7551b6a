package io.shardwire.router.plan;

import io.shardwire.router.parse.TableReference;
import io.shardwire.router.rewrite.PhysicalSqlWriter;
import io.shardwire.router.rewrite.StatementText;
import io.shardwire.router.route.ExecutionUnit;
import io.shardwire.router.rule.PhysicalTable;
import java.util.HashMap;
import java.util.Map;

/**
 * A prepared statement's text per set of physical tables, written from its AST once and kept: its executes on one
 * data node differ only in their parameters, and writing the text walks the whole AST. Not thread-safe: binds are
 * serialised by {@link PreparedPlan}.
 */
final class KeptTexts {

    /** Distinct physical-table sets kept; a statement has one per data node it can reach. */
    static final int MAX_KEPT_TEXTS = 256;

    private final Map<Map<TableReference, PhysicalTable>, StatementText> texts = new HashMap<>();

    /** The unit's text, written by {@code writer} the first time (and kept, up to {@value #MAX_KEPT_TEXTS} sets). */
    StatementText text(ExecutionUnit unit, PhysicalSqlWriter writer) {
        StatementText text = texts.get(unit.tables());
        if (text == null) {
            text = writer.write(unit.tables());
            if (texts.size() < MAX_KEPT_TEXTS) {
                texts.put(unit.tables(), text);
            }
        }
        return text;
    }
}
