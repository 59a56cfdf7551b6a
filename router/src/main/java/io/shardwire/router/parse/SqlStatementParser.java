package io.shardwire.router.parse;

import java.util.Optional;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;

/**
 * The one entry to JSqlParser. Uses the parser directly rather than {@code CCJSqlParserUtil.parse},
 * which starts an executor thread per call (about 200 us, and spurious time-outs on a busy CPU).
 * Thread-safe: every call builds its own parser.
 *
 * <p>Strings are read first with backslash escapes, as MySQL's default sql_mode reads them (and as
 * Connector/J escapes quotes: {@code 'it\'s'}). JSqlParser's lexer rejects some escapes MySQL keeps
 * literally ({@code '\%'} in LIKE patterns); a statement it rejects that way is read again without
 * backslash escapes, which reads such literals the same. Either way a literal's text is kept as written.
 */
public final class SqlStatementParser {

    /** The statement's AST, or empty when JSqlParser cannot parse it (MariaDB syntax it lacks, or bad SQL). */
    public Optional<Statement> parse(String sql) {
        Optional<Statement> escaped = parse(sql, true);
        return escaped.isPresent() || sql.indexOf('\\') < 0 ? escaped : parse(sql, false);
    }

    private static Optional<Statement> parse(String sql, boolean backslashEscapes) {
        try {
            return Optional.ofNullable(CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(false)
                    .withBackslashEscapeCharacter(backslashEscapes).Statement());
        } catch (Exception | Error e) {
            // TokenMgrError is an Error; a lexer failure is just "cannot parse" to us.
            return Optional.empty();
        }
    }
}
