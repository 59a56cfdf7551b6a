package io.shardwire.router.parse;

import java.util.Optional;
import java.util.regex.Pattern;
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

    /**
     * Deepest parenthesis nesting parsed. JSqlParser's time grows steeply with nesting (some 0.4 s at 400 levels,
     * then a stack overflow; a statement 20,000 levels deep kept a core busy for minutes), and generated SQL
     * stays far below this.
     */
    static final int MAX_NESTING = 64;

    /**
     * The statement's AST, or empty when JSqlParser cannot parse it (MariaDB syntax it lacks, or bad SQL) or it nests
     * parentheses deeper than {@value #MAX_NESTING} levels.
     */
    public Optional<Statement> parse(String sql) {
        if (nesting(sql) > MAX_NESTING || convertsACallWithoutArguments(sql)) {
            return Optional.empty();
        }
        Optional<Statement> escaped = parse(sql, true);
        return escaped.isPresent() || sql.indexOf('\\') < 0 ? escaped : parse(sql, false);
    }

    /**
     * {@code CONVERT(f(), type)}: JSqlParser 5.4 reads the call as a name without parentheses and writes it back so
     * ({@code CONVERT( UUID, CHAR )}), which a server reads as a column: written to a node, an UPDATE could set a
     * column to itself and answer OK. Such a statement is left unparsed.
     */
    static boolean convertsACallWithoutArguments(String sql) {
        for (int at = indexOfIgnoringCase(sql, "CONVERT", 0); at >= 0; at = indexOfIgnoringCase(sql, "CONVERT", at + 1)) {
            if (CONVERT_OF_CALL.matcher(sql).region(at, sql.length()).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    private static final Pattern CONVERT_OF_CALL = Pattern.compile(
            "(?i)CONVERT\\s*\\(\\s*[A-Za-z_$][\\w$]*\\s*\\(\\s*\\)\\s*,");

    private static int indexOfIgnoringCase(String text, String word, int from) {
        for (int i = from; i + word.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, word, 0, word.length())) {
                return i;
            }
        }
        return -1;
    }

    /** The deepest parenthesis nesting outside quotes, as far as it matters here: stops counting past the limit. */
    static int nesting(String sql) {
        int depth = 0;
        int deepest = 0;
        char quote = 0;
        for (int i = 0; i < sql.length() && deepest <= MAX_NESTING; i++) {
            char c = sql.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote != '`') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(') {
                deepest = Math.max(deepest, ++depth);
            } else if (c == ')') {
                depth--;
            }
        }
        return deepest;
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
