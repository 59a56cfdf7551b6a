package io.shardwire.router.plan;

import io.shardwire.router.rewrite.PhysicalSqlWriter;
import io.shardwire.router.rewrite.SelectRewriter;
import io.shardwire.router.route.StatementRefusedException;

/**
 * A SELECT rewritten to run on several data nodes under a merge: the rewrite and the writer of its
 * own copy of the AST, or why the statement cannot be merged.
 *
 * @param rewriter    the rewrite, or null if {@code unmergeable}
 * @param writer      the writer of the rewritten statement, or null if {@code unmergeable}
 * @param unmergeable why the statement cannot run on several nodes, or null
 */
record ScatterRewrite(SelectRewriter rewriter, PhysicalSqlWriter writer, StatementRefusedException unmergeable) {

    /** Makes the rewrite; called the first time an execution needs several nodes. */
    interface Source {
        ScatterRewrite make() throws StatementRefusedException;
    }
}
