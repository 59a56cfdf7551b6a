package io.shardwire.router.parse;

import java.util.Optional;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;

/**
 * The one entry to JSqlParser. Uses the parser directly rather than {@code CCJSqlParserUtil.parse},
 * which starts an executor thread per call (about 200 us, and spurious time-outs on a busy CPU).
 * Thread-safe: every call builds its own parser.
 */
public final class SqlStatementParser {

    /** The statement's AST, or empty when JSqlParser cannot parse it (MariaDB syntax it lacks, or bad SQL). */
    public Optional<Statement> parse(String sql) {
        try {
            return Optional.ofNullable(CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(false).Statement());
        } catch (Exception | Error e) {
            // TokenMgrError is an Error; a lexer failure is just "cannot parse" to us.
            return Optional.empty();
        }
    }
}
