package io.shardwire.router.route;

import io.shardwire.router.parse.TableReference;
import io.shardwire.router.rule.ShardedTableRule;
import io.shardwire.router.rule.TableRule;
import java.util.Optional;
import net.sf.jsqlparser.schema.Table;

/**
 * One place a statement names a table: in a FROM or JOIN, or as the target of an INSERT, UPDATE or DELETE.
 *
 * @param node     the AST node
 * @param name     the logical table, schema resolved
 * @param rule     its placement
 * @param alias    the alias given in the statement, unquoted, or null
 * @param scope    the query block it belongs to
 * @param nullable whether it is on the NULL-extended side of an outer join, so that its columns
 *                 may be NULL in result rows whatever its own rows hold
 */
record TableOccurrence(Table node, TableReference name, TableRule rule, String alias, QueryScope scope, boolean nullable) {

    /** The sharded rule, if the table is sharded. */
    Optional<ShardedTableRule> sharded() {
        return rule instanceof ShardedTableRule s ? Optional.of(s) : Optional.empty();
    }

    /** Whether a column qualifier ({@code o} in {@code o.id}, or {@code shop.orders}) names this occurrence. */
    boolean answersTo(String schemaQualifier, String tableQualifier) {
        if (alias != null) {
            return schemaQualifier == null && alias.equals(tableQualifier);
        }
        return name.table().equals(tableQualifier) && (schemaQualifier == null || name.schema().equals(schemaQualifier));
    }

    @Override
    public String toString() {
        return name + (alias == null ? "" : " " + alias);
    }
}
